/**
 * Dispatches that wait for a delivery slot go out as slots free up, not at the poller's next
 * pass (up to two seconds later): the whole kernel in-process with its poller, two deliveries at
 * once (SWITCHBOARD_DISPATCH_CONCURRENCY), and bursts of webhooks that each open a session.
 */
import { randomUUID } from "node:crypto"
import { afterAll, beforeAll, expect, it } from "vitest"
import { Duration } from "effect"
import { POLLER_FIRST_PASS_DELAY } from "../../kernel/Kernel.ts"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

const AT_ONCE = 2
const BURST = 8
const ROUNDS = 3
const SINK_MS = 20
/**
 * A freed slot claims on the next turn, so the deliveries of a burst follow one another within
 * milliseconds; room is left for a busy test machine. A burst left for the poller's next pass
 * idles ~1.8-2 s (its rounds start just after a pass, which comes every 2 s).
 */
const LONGEST_IDLE_MS = 750

let kernel: TestKernel

beforeAll(async () => {
  kernel = await startTestKernel({ poller: true, env: { SWITCHBOARD_DISPATCH_CONCURRENCY: String(AT_ONCE) } })
  const { apiKey } = await kernel.createTenant("slots")
  const installationId = await kernel.installLinear(apiKey)
  await kernel.publish(apiKey, { installationId, agentId: "agent-s", scopes: ["comments:write"], granularity: "issue" })
  // Freed slots take what waits once the poller has made its first pass.
  await new Promise((resolve) => setTimeout(resolve, Duration.toMillis(Duration.fromInputUnsafe(POLLER_FIRST_PASS_DELAY)) + 200))
}, 60_000)

afterAll(() => kernel?.close())

it(`sends a burst ${AT_ONCE} at a time, each as a slot frees up, without idling until the poller's next pass`, async () => {
  const idles: Array<number> = []
  for (let round = 0; round < ROUNDS; round++) {
    const calls: Array<{ readonly start: number; end?: number }> = []
    let running = 0
    let most = 0
    kernel.sink = async () => {
      const call: { start: number; end?: number } = { start: performance.now() }
      calls.push(call)
      most = Math.max(most, ++running)
      await new Promise((resolve) => setTimeout(resolve, SINK_MS))
      running--
      call.end = performance.now()
    }
    const answers = await Promise.all(Array.from({ length: BURST }, (_, n) => {
      const id = `issue-slots-${round}-${n}`
      kernel.linear.control.seedIssue({ id, title: `Slots ${round}.${n}` })
      return kernel.linearWebhook(agentSessionCreated({ issue: { id, identifier: `SLT-${round}${n}` }, sessionId: `ags-${randomUUID()}` }))
        .then((response) => response.status)
    }))
    expect(answers).toEqual(Array(BURST).fill(200))
    await kernel.eventually(() => calls.filter((call) => call.end !== undefined).length >= BURST)
    expect(most, "never more deliveries at once than the setting allows").toBeLessThanOrEqual(AT_ONCE)
    // Every dispatch was waiting from the burst on: the longest time no call was running
    // between the first call and the last is how long a freed slot left one waiting.
    const sorted = [...calls].sort((a, b) => a.start - b.start)
    let busyUntil = sorted[0]!.start
    let idle = 0
    for (const call of sorted) {
      idle = Math.max(idle, call.start - busyUntil)
      busyUntil = Math.max(busyUntil, call.end ?? call.start)
    }
    idles.push(Math.round(idle))
  }
  expect(Math.max(...idles), `longest idle between deliveries per round (ms): ${idles.join(", ")}`).toBeLessThan(LONGEST_IDLE_MS)
})
