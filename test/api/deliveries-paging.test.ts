/**
 * `GET /v1/deliveries` pages through everything with its cursor: 1,000 deliveries, half of them
 * received in the same millisecond (so the cursor must break ties), each listed exactly once and
 * newest first; filters by status, provider and time; a bad cursor or filter is a 400.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import Database from "better-sqlite3"
import { Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

const Page = Schema.Struct({
  deliveries: Schema.Array(Schema.Struct({ event: Schema.Struct({ id: Schema.String, receivedAt: Schema.Number, status: Schema.String, providerId: Schema.String }) })),
  nextCursor: Schema.NullOr(Schema.String)
})

const TOTAL = 1_000
const BASE = 1_700_000_000_000

describe("delivery paging", () => {
  let kernel: TestKernel
  let apiKey: string
  let tenantId: string
  const folder = mkdtempSync(join(tmpdir(), "sb-paging-"))
  const database = join(folder, "switchboard.sqlite")

  beforeAll(async () => {
    kernel = await startTestKernel({ database })
    ;({ apiKey, tenantId } = await kernel.createTenant("pager"))
    const db = new Database(database)
    try {
      const insert = db.prepare(`INSERT INTO webhook_events (tenant_id, id, provider_id, delivery_id, event_type, external_account_id,
        status, reason, headers, body, received_at, updated_at) VALUES (?, ?, ?, ?, 'Issue.create', 'org', ?, NULL, '{}', '{}', ?, ?)`)
      db.transaction(() => {
        for (let index = 0; index < TOTAL; index++) {
          // Half the events share one millisecond; the rest are a millisecond apart.
          const at = index < TOTAL / 2 ? BASE : BASE + index
          const provider = index % 4 === 0 ? "github" : "linear"
          const status = index % 10 === 0 ? "failed" : "dispatched"
          insert.run(tenantId, `evt_page_${String(index).padStart(4, "0")}`, provider, `delivery-${index}`, status, at, at)
        }
      })()
    } finally {
      db.close()
    }
  })
  afterAll(async () => {
    await kernel.close()
    rmSync(folder, { recursive: true, force: true })
  })

  const page = async (query: string) => {
    const response = await kernel.request(`/v1/deliveries?${query}`, { apiKey })
    expect(response.status, await response.clone().text()).toBe(200)
    return Schema.decodeUnknownSync(Page)(await response.json())
  }

  const all = async (query: string) => {
    const seen: Array<{ readonly id: string; readonly receivedAt: number; readonly status: string; readonly providerId: string }> = []
    let cursor: string | null = null
    let pages = 0
    do {
      const next: typeof Page.Type = await page(`${query}&limit=37${cursor === null ? "" : `&cursor=${cursor}`}`)
      seen.push(...next.deliveries.map((delivery) => delivery.event))
      cursor = next.nextCursor
      pages++
    } while (cursor !== null && pages < 100)
    return seen
  }

  it("lists 1,000 deliveries completely through the cursor, each once, newest first", async () => {
    const listed = await all("")
    expect(listed).toHaveLength(TOTAL)
    expect(new Set(listed.map((event) => event.id)).size).toBe(TOTAL)
    for (let index = 1; index < listed.length; index++) {
      const [before, after] = [listed[index - 1]!, listed[index]!]
      expect(before.receivedAt > after.receivedAt || (before.receivedAt === after.receivedAt && before.id > after.id)).toBe(true)
    }
  })

  it("filters by status, provider and time, and pages the filtered list", async () => {
    const failed = await all("status=failed")
    expect(failed).toHaveLength(TOTAL / 10)
    expect(failed.every((event) => event.status === "failed")).toBe(true)
    const github = await all("provider=github")
    expect(github).toHaveLength(TOTAL / 4)
    expect(github.every((event) => event.providerId === "github")).toBe(true)
    const recent = await all(`since=${BASE + 900}`)
    expect(recent).toHaveLength(100)
    expect(await all(`since=${new Date(BASE + 900).toISOString()}`)).toHaveLength(100)
  })

  it("refuses a cursor or a filter it cannot read", async () => {
    for (const query of ["cursor=not-a-cursor", "status=lost", "provider=Not_A_Provider", "since=yesterday"]) {
      expect((await kernel.request(`/v1/deliveries?${query}`, { apiKey })).status, query).toBe(400)
    }
  })
})
