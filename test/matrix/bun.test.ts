import { describe } from "vitest"
import { useMatrix } from "./harness.ts"
import { matrixKit } from "./kit.ts"
import { matrixCases } from "./suite.ts"

describe("runtime matrix: bun", { timeout: 30_000 }, () => {
  const context = useMatrix("bun")
  matrixCases(context)
  matrixKit(context)
})
