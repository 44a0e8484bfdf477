import { describe } from "vitest"
import { useMatrix } from "./harness.ts"
import { matrixKit } from "./kit.ts"
import { matrixCases } from "./suite.ts"

describe("runtime matrix: workers", { timeout: 30_000 }, () => {
  const context = useMatrix("workers")
  matrixCases(context)
  matrixKit(context)
})
