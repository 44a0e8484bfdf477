import Database from "better-sqlite3"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it, vi } from "vitest"
import { useMatrix } from "./harness.ts"
import { matrixKit } from "./kit.ts"
import { matrixCases } from "./suite.ts"

/** One column of a table in wrangler's local D1 files under `state`. */
const columnOf = (state: string, table: string, column: string): ReadonlyArray<string> =>
  readdirSync(state, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".sqlite"))
    .flatMap((file) => {
      const database = new Database(join(state, file), { readonly: true, fileMustExist: true })
      try {
        const found = database.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get(table)
        return found === undefined
          ? []
          : database.prepare(`SELECT ${column} AS value FROM ${table}`).all().map((row) => String((row as { value: unknown }).value))
      } finally {
        database.close()
      }
    })

describe("runtime matrix: workers", { timeout: 30_000 }, () => {
  // Retention on, far enough back that the suite's own deliveries are never pruned: the cron's
  // passes run their statements on D1 all the same.
  const context = useMatrix("workers", { env: () => ({ SWITCHBOARD_RETENTION_DAYS: "3650" }) })
  matrixCases(context)
  matrixKit(context)

  // The cron (every minute): the outbox drained, and in every tenth minute a retention pass too.
  it("runs the cron's handler: a retention pass over every tenant in a tenth minute, none in another", async () => {
    const state = join(context().workDir ?? "", "state")
    const tenth = Date.now() - (Date.now() % 600_000)
    const other = await fetch(`${context().baseUrl}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${tenth + 60_000}`)
    expect([other.status, await other.text()]).toEqual([200, "ok"])
    expect(columnOf(state, "retention_marks", "tenant_id")).toEqual([])
    const answer = await fetch(`${context().baseUrl}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${tenth}`)
    expect([answer.status, await answer.text()]).toEqual([200, "ok"])
    await vi.waitFor(() => expect(columnOf(state, "retention_marks", "tenant_id")).toContain("_unrouted"), { timeout: 10_000 })
    expect(columnOf(state, "retention_marks", "tenant_id").some((tenant) => tenant.startsWith("ten_"))).toBe(true)
    expect(context().logs()).not.toContain("retention pass failed")
  })

  // A busy Worker runs many isolates, each with its own memory: the per-minute limits must be
  // rows in D1 that all of them spend from (runtimes/workers/main.ts, `sharedLimits`).
  it("keeps the per-tenant limits in D1, where every isolate spends from them", () => {
    const keys = columnOf(join(context().workDir ?? "", "state"), "limit_buckets", "key")
    expect(keys.some((key) => key.startsWith("webhooks:ten_")), keys.join(", ")).toBe(true)
    expect(keys.some((key) => key.startsWith("toolCalls:ten_")), keys.join(", ")).toBe(true)
  })
})
