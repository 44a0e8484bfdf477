/**
 * Acceptance 4 of issue 12 (never stalled), black box on the Bun server (the embedded default):
 * another process holds the write lock on its SQLite file for 20 s (`BEGIN IMMEDIATE` on a
 * better-sqlite3 connection in this test process) while signed Linear webhooks and `GET /health`
 * arrive. Each is answered within a second: webhooks that could not be stored get 503 with
 * `Retry-After` (never 500), `/health` says degraded. After the release, the vendor's retries (the
 * 503'd deliveries sent again, same delivery id) are stored, and every delivery that got a 200 is
 * dispatched. The counts go to test-artifacts/reliability/lock.txt and into assertion messages.
 */
import { randomUUID } from "node:crypto"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import Database from "better-sqlite3"
import { Schema } from "effect"
import { assert, describe, it } from "vitest"
import { makeActors } from "../matrix/actors.ts"
import { type Answer, decode, makeRuntimeClient, sleep } from "../matrix/client.ts"
import type { SignedWebhook } from "../matrix/fakes.ts"
import { useMatrix } from "../matrix/harness.ts"
import { repoRoot } from "../matrix/processes.ts"

const LOCK_MS = 20_000
/** What each answer must stay under while the file is locked. */
const ANSWER_MS = 1_000
/** A burst of webhooks and one /health this often while locked. */
const BURST_EVERY_MS = 1_000
const BURST_SIZE = 3

const Degraded = Schema.Struct({ ok: Schema.Literal(false), status: Schema.Literal("degraded"), database: Schema.Literal("locked") })
const Unavailable = Schema.Struct({ error: Schema.Struct({ reason: Schema.Literal("StorageUnavailable"), message: Schema.String }) })
const Accepted = Schema.Struct({ ok: Schema.Literal(true), status: Schema.Literals(["accepted", "duplicate"]) })

interface Timed {
  readonly answer: Answer
  readonly ms: number
}

interface Sent {
  readonly deliveryId: string
  readonly signed: SignedWebhook
  readonly answers: Array<Timed>
}

const summaryFile = join(repoRoot, "test-artifacts", "reliability", "lock.txt")

describe("reliability: a write lock held on the database for 20 s", { timeout: 30_000 }, () => {
  const context = useMatrix("bun")
  const client = makeRuntimeClient(() => context().baseUrl)
  const { http } = client
  const { send, sessionCreated, createTenant, installLinear, createPublication } = makeActors(context, client)
  const linear = () => context().fakes.linear
  const sessions = () => context().fakes.sessions

  const timed = async (request: () => Promise<Answer>): Promise<Timed> => {
    const started = performance.now()
    const answer = await request()
    return { answer, ms: performance.now() - started }
  }

  const newDelivery = async (): Promise<Sent> => {
    const issue = linear().control.seedIssue({ title: `Locked ${randomUUID()}`, description: "..." })
    const deliveryId = randomUUID()
    const signed = await linear().webhook(sessionCreated(issue, `ags-${randomUUID()}`, "@agent during the lock"), { deliveryId })
    return { deliveryId, signed, answers: [] }
  }

  const deliver = async (sent: Sent) => {
    const result = await timed(() => send("/webhook/linear", sent.signed))
    sent.answers.push(result)
    return result
  }

  it("answers within a second while locked, stores the retries after, loses nothing acknowledged", async () => {
    const tenant = await createTenant("locked")
    const installation = await installLinear(tenant.apiKey)
    await createPublication(tenant.apiKey, installation, "agent-lock", ["comments:write"])
    const before = await newDelivery()
    assert.strictEqual((await deliver(before)).answer.status, 200)
    await sessions().waitFor(1, 15_000)

    const file = context().env["SWITCHBOARD_DATABASE"]
    assert.isString(file)
    const holder = new Database(file!, { timeout: 5_000 })
    const during: Array<Sent> = []
    const health: Array<Timed> = []
    let heldMs = 0
    try {
      holder.prepare("BEGIN IMMEDIATE").run()
      const lockedAt = performance.now()
      const bursts: Array<Promise<unknown>> = []
      while (performance.now() - lockedAt < LOCK_MS - BURST_EVERY_MS) {
        bursts.push(Promise.all([
          ...Array.from({ length: BURST_SIZE }, async () => {
            const sent = await newDelivery()
            during.push(sent)
            await deliver(sent)
          }),
          timed(() => http("/health")).then((result) => health.push(result))
        ]))
        await sleep(BURST_EVERY_MS)
      }
      await Promise.all(bursts)
      heldMs = performance.now() - lockedAt
    } finally {
      if (holder.inTransaction) holder.prepare("ROLLBACK").run()
      holder.close()
    }

    const first = during.map((sent) => sent.answers[0]!)
    const refused = during.filter((sent) => sent.answers[0]!.answer.status === 503)
    const acknowledged = during.filter((sent) => sent.answers[0]!.answer.status === 200)
    const slowest = Math.round(Math.max(...first.map((result) => result.ms)))
    const median = Math.round(first.map((result) => result.ms).sort((a, b) => a - b)[Math.floor(first.length / 2)] ?? 0)
    const slowestHealth = Math.round(Math.max(...health.map((result) => result.ms)))
    const counts = `lock held ${Math.round(heldMs)} ms; ${during.length} webhooks sent (${refused.length} answered 503, ` +
      `${acknowledged.length} 200, median ${median} ms, slowest ${slowest} ms); ${health.length} /health (slowest ${slowestHealth} ms)`

    for (const result of first) {
      assert.isBelow(result.ms, ANSWER_MS, `a webhook took ${Math.round(result.ms)} ms: ${counts}`)
      assert.include([200, 503], result.answer.status, `${result.answer.status} ${result.answer.text}: ${counts}`)
      if (result.answer.status === 503) {
        decode(Unavailable, result.answer)
        assert.strictEqual(result.answer.headers.get("retry-after"), "1", `503 without Retry-After: ${counts}`)
      }
    }
    for (const result of health) {
      assert.isBelow(result.ms, ANSWER_MS, `/health took ${Math.round(result.ms)} ms: ${counts}`)
      assert.strictEqual(result.answer.status, 503, `/health while locked: ${result.answer.text}: ${counts}`)
      decode(Degraded, result.answer)
      assert.strictEqual(result.answer.headers.get("retry-after"), "1")
    }
    assert.isAbove(refused.length, 0, `nothing was refused while locked: ${counts}`)

    // The vendor retries what got a 503, honouring Retry-After, until it is acknowledged.
    let retries = 0
    for (let round = 0; round < 10; round++) {
      const pending = during.filter((sent) => sent.answers.at(-1)!.answer.status !== 200)
      if (pending.length === 0) break
      await sleep(1_000)
      retries += pending.length
      await Promise.all(pending.map(deliver))
    }
    const unacknowledged = during.filter((sent) => sent.answers.at(-1)!.answer.status !== 200)
    for (const sent of during) {
      const last = sent.answers.at(-1)!.answer
      if (last.status === 200) decode(Accepted, last)
    }
    const afterHealth = await http("/health")

    // Every acknowledged delivery reaches the agent platform (undecided events are drained within ~30 s).
    const acknowledgedIds = [before, ...during].map((sent) => sent.deliveryId)
    const deadline = Date.now() + 45_000
    const dispatchedIds = () => new Set(sessions().deliveries.map((entry) => entry.delivery.dispatch.deliveryId))
    while (Date.now() < deadline && !acknowledgedIds.every((id) => dispatchedIds().has(id))) await sleep(250)
    const missing = acknowledgedIds.filter((id) => !dispatchedIds().has(id))
    const perDelivery = new Map<string, number>()
    for (const entry of sessions().deliveries) {
      const id = entry.delivery.dispatch.deliveryId
      perDelivery.set(id, (perDelivery.get(id) ?? 0) + 1)
    }
    const twice = [...perDelivery.values()].filter((count) => count > 1).length

    const summary = `${counts}; after the release ${retries} vendor retries, ${unacknowledged.length} never acknowledged, ` +
      `${acknowledgedIds.length - missing.length}/${acknowledgedIds.length} acknowledged deliveries dispatched, ${twice} dispatched twice`
    mkdirSync(join(repoRoot, "test-artifacts", "reliability"), { recursive: true })
    writeFileSync(summaryFile, `${summary}\n`)

    assert.lengthOf(unacknowledged, 0, `deliveries still refused after the release: ${summary}`)
    assert.strictEqual(afterHealth.status, 200, `/health after the release: ${afterHealth.text}`)
    assert.deepStrictEqual(JSON.parse(afterHealth.text), { ok: true })
    assert.deepStrictEqual(missing, [], `acknowledged but never dispatched: ${summary}`)
  }, 150_000)
})
