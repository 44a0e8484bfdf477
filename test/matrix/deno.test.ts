import { describe } from "vitest"
import { useMatrix } from "./harness.ts"
import { matrixCases } from "./suite.ts"

describe("runtime matrix: deno", { timeout: 30_000 }, () => {
  matrixCases(useMatrix("deno"))
})
