/**
 * Acceptance 1 of issue 12: SIGKILL of the Bun server in the middle of a webhook load, then a
 * restart on the same database file. Every acknowledged webhook is dispatched at least once;
 * the duplicates (one idempotency key arriving twice) are no more than the deliveries in flight
 * at the kill; what the dead process held or left undecided arrives within 10 s of the restart.
 *
 * "In flight at the kill": deliveries the sink had received and not yet answered, plus those it
 * answered in the last 500 ms (the dead process may not have recorded the answer yet).
 */
import { randomUUID } from "node:crypto"
import { afterAll, assert, beforeAll, it } from "vitest"
import type { FakeIssue } from "../../sandbox/fakes/linear/FakeLinearState.ts"
import { type BunRuntime, publishAgent, startBunRuntime, writeSummary } from "./bunRuntime.ts"
import { type SinkServer, startSink } from "./sinkServer.ts"

const WEBHOOKS = 360
const LOOPS = 4
const KILL_AFTER_ACKS = 140
const SINK_DELAY_MS = 40
const RECORDING_WINDOW_MS = 500
const REDELIVERY_MS = 10_000

let sink: SinkServer
let runtime: BunRuntime

beforeAll(async () => {
  sink = await startSink(() => ({ status: 200, afterMs: SINK_DELAY_MS }))
  runtime = await startBunRuntime(sink.url)
  await publishAgent(runtime)
}, 90_000)

afterAll(async () => {
  await runtime?.close()
  await sink?.close()
}, 30_000)

it("SIGKILL mid-load, restart: every ack dispatched, duplicates only from what was in flight, redelivered within 10 s", async () => {
  const linear = runtime.fakes.linear
  const issues: Array<FakeIssue> = Array.from({ length: WEBHOOKS }, (_, n) => linear.control.seedIssue({ title: `Load ${n}` }))
  const acked = new Set<string>()
  const ackedBeforeKill = new Set<string>()
  let killedAt: number | undefined
  let refused = 0
  let next = 0

  const sendOne = async (issue: FakeIssue, deliveryId: string): Promise<boolean> => {
    const payload = runtime.actors.sessionCreated(issue, `ags-${randomUUID()}`, "@agent load")
    const signed = await linear.webhook(payload, { deliveryId })
    const answer = await fetch(`${runtime.baseUrl}/webhook/linear`, { method: "POST", headers: signed.headers, body: signed.body })
      .then(async (response) => (await response.arrayBuffer(), response.status), () => 0)
    if (answer !== 200) return false
    acked.add(deliveryId)
    if (killedAt === undefined) ackedBeforeKill.add(deliveryId)
    return true
  }

  // Each loop sends until the server is gone; what it could not deliver is sent again later,
  // under the same delivery id, as a vendor retries.
  const unsent: Array<{ readonly issue: FakeIssue; readonly deliveryId: string }> = []
  const loop = async () => {
    while (next < WEBHOOKS) {
      const issue = issues[next++]!
      const deliveryId = randomUUID()
      if (!(await sendOne(issue, deliveryId))) {
        refused++
        unsent.push({ issue, deliveryId })
        if (killedAt !== undefined) return
      }
      if (killedAt === undefined && acked.size >= KILL_AFTER_ACKS) {
        killedAt = Date.now()
        runtime.kill()
      }
    }
  }
  await Promise.all(Array.from({ length: LOOPS }, loop))
  assert.isDefined(killedAt, `the load finished (${acked.size} acks) before the kill`)
  const killAt = killedAt!
  const inFlight = new Set(
    sink.arrivals.filter((arrival) =>
      arrival.at <= killAt && (arrival.answeredAt === undefined || arrival.answeredAt >= killAt - RECORDING_WINDOW_MS)
    ).map((arrival) => arrival.key)
  )

  await runtime.start()
  const restartedAt = Date.now()
  for (const { issue, deliveryId } of unsent.splice(0)) {
    assert.isTrue(await sendOne(issue, deliveryId), `resent ${deliveryId} after the restart`)
  }
  for (let n = next; n < WEBHOOKS; n++) assert.isTrue(await sendOne(issues[n]!, randomUUID()), "the rest of the load")

  const deliveredIds = () => new Set(sink.arrivals.filter((arrival) => arrival.status === 200).map((arrival) => arrival.deliveryId))
  const missing = () => [...acked].filter((deliveryId) => !deliveredIds().has(deliveryId))
  await sink.until(() => missing().length === 0, 60_000, () => `${missing().length} of ${acked.size} acked webhooks undelivered`)

  const arrivalsPerKey = new Map<string, number>()
  for (const arrival of sink.arrivals) arrivalsPerKey.set(arrival.key, (arrivalsPerKey.get(arrival.key) ?? 0) + 1)
  const duplicates = [...arrivalsPerKey.values()].reduce((sum, count) => sum + count - 1, 0)
  // What the dead process left (held, pending or undecided): delivered after the restart.
  const firstSuccess = new Map<string, number>()
  for (const arrival of sink.arrivals) {
    if (arrival.status === 200 && !firstSuccess.has(arrival.deliveryId)) firstSuccess.set(arrival.deliveryId, arrival.answeredAt ?? arrival.at)
  }
  const leftOver = [...ackedBeforeKill].filter((deliveryId) => (firstSuccess.get(deliveryId) ?? 0) > killAt)
  const slowest = Math.max(0, ...leftOver.map((deliveryId) => firstSuccess.get(deliveryId)! - restartedAt))

  const summary = `crash: ${WEBHOOKS} webhooks from ${LOOPS} loops, SIGKILL after ${ackedBeforeKill.size} acks ` +
    `(${refused} refused while down, resent); ${acked.size} acked, all dispatched; ${sink.arrivals.length} sink arrivals ` +
    `for ${arrivalsPerKey.size} keys, ${duplicates} duplicates, ${inFlight.size} in flight at the kill; ` +
    `${leftOver.length} left over by the dead process, the last delivered ${slowest} ms after the restart ` +
    `(up ${restartedAt - killAt} ms after the kill)`
  writeSummary("crash", summary)
  // What the restarted process warned about, should the redelivery be late: a failed pass waits a full interval.
  const warnings = runtime.log().split("\n").filter((line) => /"level":"(WARN|ERROR)"/i.test(line)).slice(-10)
  assert.isAtMost(duplicates, inFlight.size, summary)
  assert.isAtMost(slowest, REDELIVERY_MS, [summary, ...warnings].join("\n"))
  assert.strictEqual(acked.size, WEBHOOKS, summary)
}, 150_000)
