/**
 * Issue 12, order: two webhooks for the same Linear issue sent at once (both open a session on
 * it, so one dispatch is the create and the other resumes it) must reach the agent platform in
 * that order, for each of 60 issues, with a platform that takes its time over creates. The
 * whole kernel in-process; its outbox is driven with `drain` as the Workers cron would.
 */
import { randomUUID } from "node:crypto"
import { afterAll, assert, beforeAll, it } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { writeSummary } from "./bunRuntime.ts"

const KEYS = 60
const CREATE_MS = 30

let kernel: TestKernel

beforeAll(async () => {
  kernel = await startTestKernel()
  const { apiKey } = await kernel.createTenant("order")
  const installationId = await kernel.installLinear(apiKey)
  await kernel.publish(apiKey, { installationId, agentId: "agent-o", scopes: ["comments:write"], granularity: "issue" })
}, 60_000)

afterAll(() => kernel?.close())

it("a resume never reaches the platform before the create it resumes", async () => {
  const calls: Array<{ readonly key: string; readonly mode: string; readonly startedAt: number; endedAt?: number }> = []
  kernel.sink = async (delivery) => {
    const call: { key: string; mode: string; startedAt: number; endedAt?: number } = {
      key: delivery.dispatch.sessionKey,
      mode: delivery.dispatch.mode,
      startedAt: performance.now()
    }
    calls.push(call)
    if (delivery.dispatch.mode === "create") await new Promise((resolve) => setTimeout(resolve, CREATE_MS))
    call.endedAt = performance.now()
  }
  const issues = Array.from({ length: KEYS }, (_, n) => `issue-order-${n}`)
  for (const [n, id] of issues.entries()) kernel.linear.control.seedIssue({ id, title: `Order ${n}` })
  const answers = await Promise.all(issues.flatMap((id, n) =>
    [0, 1].map(() =>
      kernel.linearWebhook(agentSessionCreated({ issue: { id, identifier: `ORD-${n}` }, sessionId: `ags-${randomUUID()}` }))
        .then((response) => response.status)
    )
  ))
  assert.deepStrictEqual([...new Set(answers)], [200])
  const delivered = () => new Set(calls.filter((call) => call.endedAt !== undefined).map((call) => `${call.key}:${call.mode}`)).size
  await kernel.eventually(async () => {
    await kernel.app.drain()
    return delivered() >= 2 * KEYS
  }, 30_000).catch(() => undefined)

  const outOfOrder = [...new Set(calls.map((call) => call.key))].filter((key) => {
    const create = calls.find((call) => call.key === key && call.mode === "create")
    const resume = calls.find((call) => call.key === key && call.mode === "resume")
    return create === undefined || resume === undefined || create.endedAt === undefined || resume.startedAt < create.endedAt
  })
  const summary = `order: ${KEYS} issues x 2 racing webhooks (creates answered after ${CREATE_MS} ms); ` +
    `${calls.length} sink calls, ${delivered()} of ${2 * KEYS} create/resume pairs delivered, ${outOfOrder.length} keys out of order`
  writeSummary("order", summary)
  assert.strictEqual(delivered(), 2 * KEYS, summary)
  assert.deepStrictEqual(outOfOrder, [], summary)
}, 60_000)
