/**
 * Acceptance 3 of issue 12, on the Bun server: a sink that fails with 500s, then hangs past the
 * timeout, then recovers. Every event is delivered exactly once by idempotency key (one 2xx
 * answer per key), the hung calls hold no other event back, and a dead letter replayed through
 * `POST /v1/deliveries/<id>/replay` is delivered once.
 *
 * Per key: the first attempt gets a 500; for the "hung" keys the second one never gets an answer
 * (the outbox times it out after SWITCHBOARD_SESSIONS_TIMEOUT); then 200. One more event gets a
 * 400 (not retryable: a dead letter at once) until it is replayed.
 */
import { randomUUID } from "node:crypto"
import { afterAll, assert, beforeAll, it } from "vitest"
import { type BunRuntime, publishAgent, startBunRuntime, writeSummary } from "./bunRuntime.ts"
import { type Answer, type Arrival, type SinkServer, startSink } from "./sinkServer.ts"

const EVENTS = 20
const HUNG = 8
const TIMEOUT_MS = 3_000

let sink: SinkServer
let runtime: BunRuntime
let apiKey: string
const hungIds = new Set<string>()
let deadId = ""
let refuseDead = true

const behaviour = (arrival: Arrival): Answer => {
  if (arrival.deliveryId === deadId) return refuseDead ? { status: 400 } : { status: 200 }
  if (arrival.nth === 1) return { status: 500 }
  if (arrival.nth === 2 && hungIds.has(arrival.deliveryId)) return "hang"
  return { status: 200 }
}

beforeAll(async () => {
  sink = await startSink(behaviour)
  runtime = await startBunRuntime(sink.url, { SWITCHBOARD_SESSIONS_TIMEOUT: `${TIMEOUT_MS} millis` })
  apiKey = await publishAgent(runtime)
}, 90_000)

afterAll(async () => {
  await runtime?.close()
  await sink?.close()
}, 30_000)

it("500s, then hung calls, then recovery: each event once by key, nothing waits behind the hung calls; a replayed dead letter once", async () => {
  const linear = runtime.fakes.linear
  const deliveryIds = Array.from({ length: EVENTS }, () => randomUUID())
  for (const deliveryId of deliveryIds.slice(0, HUNG)) hungIds.add(deliveryId)
  deadId = randomUUID()
  const startedAt = Date.now()
  for (const deliveryId of [...deliveryIds, deadId]) {
    const issue = linear.control.seedIssue({ title: `Flaky ${deliveryId}` })
    const answer = await runtime.actors.postWebhook(runtime.actors.sessionCreated(issue, `ags-${randomUUID()}`, "@agent"), { deliveryId })
    assert.strictEqual(answer.status, 200, answer.text)
  }

  const successes = sink.successes
  const delivered = () => deliveryIds.filter((id) => sink.arrivals.some((arrival) => arrival.deliveryId === id && arrival.status === 200))
  await sink.until(() => delivered().length === EVENTS, 60_000, () => `${delivered().length} of ${EVENTS} delivered`)

  const hungArrivals = sink.arrivals.filter((arrival) => hungIds.has(arrival.deliveryId) && arrival.nth === 2)
  const firstHangEnds = Math.min(...hungArrivals.map((arrival) => arrival.at + TIMEOUT_MS))
  const othersDone = Math.max(
    ...sink.arrivals.filter((arrival) => !hungIds.has(arrival.deliveryId) && arrival.deliveryId !== deadId && arrival.status === 200)
      .map((arrival) => arrival.answeredAt ?? arrival.at)
  )

  // The dead letter: dead after one 400, then replayed through the API once.
  const deadArrivals = () => sink.arrivals.filter((arrival) => arrival.deliveryId === deadId)
  await sink.until(() => deadArrivals().length === 1 && deadArrivals()[0]!.status === 400, 10_000, () => "the 400")
  const deadKey = deadArrivals()[0]!.key
  const eventId = deadArrivals()[0]!.eventId
  const detail = () =>
    fetch(`${runtime.baseUrl}/v1/deliveries/${eventId}`, { headers: { authorization: `Bearer ${apiKey}` } }).then((response) => response.text())
  for (let wait = 0; !(await detail()).includes('"dead"'); wait++) {
    assert.isBelow(wait, 100, `the dead letter is not dead: ${await detail()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  refuseDead = false
  const replayed = await fetch(`${runtime.baseUrl}/v1/deliveries/${eventId}/replay`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}` }
  })
  assert.strictEqual(replayed.status, 202, await replayed.text())
  await sink.until(() => (successes().get(deadKey) ?? 0) >= 1, 15_000, () => "the replayed dead letter")
  // Long enough for a second delivery (a retry, the poller) to show up if there were one.
  await new Promise((resolve) => setTimeout(resolve, 4_000))

  const counts = successes()
  const twice = [...counts.entries()].filter(([, count]) => count > 1).map(([key]) => key)
  const attempts = sink.arrivals.length
  const summary = `sink: ${EVENTS} events (${HUNG} hung for ${TIMEOUT_MS} ms on their 2nd attempt, every 1st answered 500) ` +
    `+ 1 dead letter replayed; ${attempts} attempts, ${counts.size} keys delivered, ${twice.length} delivered twice; ` +
    `the other ${EVENTS - HUNG} were all delivered ${firstHangEnds - othersDone} ms before the first hung call timed out; ` +
    `all done in ${Date.now() - startedAt} ms`
  writeSummary("sink", summary)
  assert.strictEqual(counts.size, EVENTS + 1, summary)
  assert.deepStrictEqual(twice, [], summary)
  assert.strictEqual(hungArrivals.length, HUNG, summary)
  assert.isBelow(othersDone, firstHangEnds, `due retries waited behind hung calls: ${summary}`)
  assert.strictEqual(deadArrivals().filter((arrival) => arrival.status === 200).length, 1, summary)
}, 150_000)
