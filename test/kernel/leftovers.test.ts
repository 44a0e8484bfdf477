/**
 * What a crash left undecided is decided batch after batch, not a batch per poller interval: 250
 * events stored as received long ago (as a process killed under load leaves them) are all decided
 * within a few short passes of the poller's first. The whole kernel in-process on a SQLite file.
 */
import Database from "better-sqlite3"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Duration } from "effect"
import { afterAll, expect, it } from "vitest"
import { POLL_EVERY_MS } from "../../kernel/dispatch/Dispatch.ts"
import { POLLER_FIRST_PASS_DELAY } from "../../kernel/Kernel.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

const LEFTOVERS = 250
const folder = mkdtempSync(join(tmpdir(), "switchboard-leftovers-"))
const file = join(folder, "switchboard.sqlite")
let kernel: TestKernel | undefined

afterAll(async () => {
  await kernel?.close()
  rmSync(folder, { recursive: true, force: true })
})

it(`decides ${LEFTOVERS} leftovers of a crash in short passes, not one batch every ${POLL_EVERY_MS} ms`, async () => {
  // Migrated by a first start; then the rows a killed process would have left.
  await (await startTestKernel({ database: file })).close()
  const db = new Database(file)
  const long = Date.now() - 60_000
  const insert = db.prepare(
    `INSERT INTO webhook_events (tenant_id, id, provider_id, delivery_id, event_type, external_account_id, status, reason, headers, body, received_at, updated_at)
     VALUES ('tnt_crashed', ?, 'linear', ?, 'Comment', NULL, 'received', NULL, '{}', ?, ?, ?)`
  )
  db.transaction(() => {
    // Bodies that no longer decode: each decision marks its event failed, which is all this counts.
    for (let n = 0; n < LEFTOVERS; n++) insert.run(`evt_left_${n}`, `dlv_left_${n}`, `not json ${n}`, long + n, long + n)
  })()
  const undecided = db.prepare("SELECT count(*) AS n FROM webhook_events WHERE status = 'received'")
  const left = () => (undecided.get() as { readonly n: number }).n
  expect(left()).toBe(LEFTOVERS)

  const started = performance.now()
  kernel = await startTestKernel({ database: file, poller: true })
  while (left() > 0 && performance.now() - started < 15_000) await new Promise((resolve) => setTimeout(resolve, 20))
  const tookMs = performance.now() - started
  const remaining = left()
  db.close()
  expect(remaining).toBe(0)
  // Three batches: the first pass, then two more within ~100 ms each (one batch a pass every
  // two seconds would take ~5 s).
  const firstPassMs = Duration.toMillis(Duration.fromInputUnsafe(POLLER_FIRST_PASS_DELAY))
  expect(tookMs, `all decided ${Math.round(tookMs)} ms after the start`).toBeLessThan(firstPassMs + POLL_EVERY_MS)
})
