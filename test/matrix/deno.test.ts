import { describe } from "vitest"
import { useMatrix } from "./harness.ts"
import { matrixKit } from "./kit.ts"
import { matrixCases } from "./suite.ts"

describe("runtime matrix: deno", { timeout: 30_000 }, () => {
  const context = useMatrix("deno")
  matrixCases(context)
  matrixKit(context)
})
