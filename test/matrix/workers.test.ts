import Database from "better-sqlite3"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { useMatrix } from "./harness.ts"
import { matrixKit } from "./kit.ts"
import { matrixCases } from "./suite.ts"

/** The keys of the limit buckets in wrangler's local D1 files under `state`. */
const bucketKeys = (state: string): ReadonlyArray<string> =>
  readdirSync(state, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".sqlite"))
    .flatMap((file) => {
      const database = new Database(join(state, file), { readonly: true, fileMustExist: true })
      try {
        const table = database.prepare("SELECT 1 FROM sqlite_master WHERE name = 'limit_buckets'").get()
        return table === undefined ? [] : database.prepare("SELECT key FROM limit_buckets").all().map((row) => String((row as { key: unknown }).key))
      } finally {
        database.close()
      }
    })

describe("runtime matrix: workers", { timeout: 30_000 }, () => {
  const context = useMatrix("workers")
  matrixCases(context)
  matrixKit(context)

  // A busy Worker runs many isolates, each with its own memory: the per-minute limits must be
  // rows in D1 that all of them spend from (runtimes/workers/main.ts, `sharedLimits`).
  it("keeps the per-tenant limits in D1, where every isolate spends from them", () => {
    const keys = bucketKeys(join(context().workDir ?? "", "state"))
    expect(keys.some((key) => key.startsWith("webhooks:ten_")), keys.join(", ")).toBe(true)
    expect(keys.some((key) => key.startsWith("toolCalls:ten_")), keys.join(", ")).toBe(true)
  })
})
