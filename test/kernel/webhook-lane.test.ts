/**
 * The webhook lane (`kernel/webhooks/WebhookLane.ts`) takes the common delivery and must answer,
 * store, dispatch, log and count exactly as the Effect pipeline does; what is not its own (a
 * refusal, a limit, a body without a declared length, a tenant's own app URL) it leaves to the
 * pipeline before changing anything. The same script runs on a kernel as the runtimes run it
 * (the lane on) and on one that takes the pipeline for everything; their traces must match, and
 * the first must show that the lane, not the pipeline, stored the deliveries it should.
 */
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { signLinearWebhook } from "../../sandbox/fakes/linear/sign.ts"
import { agentSessionCreated, issueEvent } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { captureLogLines, type LogLine } from "../support/logLines.ts"


/** What a kernel did with the script: answers, lines, listings and dispatches, without what varies per run. */
interface Trace {
  readonly answers: ReadonlyArray<unknown>
  readonly lines: ReadonlyArray<string>
  readonly deliveries: unknown
  readonly dispatched: ReadonlyArray<unknown>
  readonly rejected: unknown
  readonly counters: ReadonlyArray<string>
}

const ISSUE = "issue-lane-0001"
const NOBODY = "org-nobody-installed"

const withoutVarying = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (key, field: unknown) =>
    ["id", "eventId", "dispatchId", "publicationId", "installationId", "tenantId", "sessionId", "createdAt", "updatedAt", "receivedAt", "deliveredAt", "nextAttemptAt", "durationMs", "timestamp", "fiberId", "token", "url", "expiresAt"].includes(key)
      ? "<varies>"
      : field)

const webhookCounters = async (kernel: TestKernel): Promise<Map<string, number>> => {
  const text = await (await kernel.request("/metrics", { apiKey: kernel.secrets.admin })).text()
  const counters = new Map<string, number>()
  for (const line of text.split("\n")) {
    const match = /^(switchboard_webhooks_\w+\{[^}]*\}) (\d+)/.exec(line)
    if (match !== null) counters.set(match[1]!, Number(match[2]))
  }
  return counters
}

/** The script: a routed delivery, its redelivery, its body replayed, an unrouted one, a forgery and a stale one. */
const runScript = async (kernel: TestKernel, lines: Array<LogLine>): Promise<Trace> => {
  lines.length = 0
  const before = await webhookCounters(kernel)
  const { apiKey } = await kernel.createTenant("acme")
  const installationId = await kernel.installLinear(apiKey)
  kernel.linear.control.seedIssue({ id: ISSUE, title: "Flaky login" })
  await kernel.publish(apiKey, { installationId, agentId: "agent-1", scopes: ["issues:read", "comments:write"], granularity: "issue" })
  lines.length = 0

  const answers: Array<unknown> = []
  const answer = async (response: Response) => {
    const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== "date"))
    answers.push({ status: response.status, headers, body: await response.json() })
  }
  const payload = agentSessionCreated({ issue: { id: ISSUE, identifier: "ENG-1" }, sessionId: "session-lane" })
  await answer(await kernel.linearWebhook(payload, { deliveryId: "lane-1" }))
  await answer(await kernel.linearWebhook(payload, { deliveryId: "lane-1" }))
  const signed = await Effect.runPromise(signLinearWebhook({ secret: kernel.secrets.webhook, payload: issueEvent({ organizationId: NOBODY }), deliveryId: "lane-2" }))
  await answer(await kernel.request("/webhook/linear", { method: "POST", headers: signed.headers, body: signed.body }))
  // The same signed body under a new delivery id: a replay, a duplicate.
  await answer(await kernel.request("/webhook/linear", { method: "POST", headers: { ...signed.headers, "linear-delivery": "lane-3" }, body: signed.body }))
  await answer(await kernel.linearWebhook(issueEvent({ organizationId: NOBODY }), { deliveryId: "lane-4", secret: "not-the-secret" }))
  await answer(await kernel.linearWebhook(issueEvent({ organizationId: NOBODY }), { deliveryId: "lane-5", timestamp: Date.now() - 3_600_000 }))

  const dispatched = await kernel.eventually(() => kernel.deliveries.length > 0 ? kernel.deliveries : undefined)
  const deliveries = await kernel.eventually(async () => {
    const listed = await (await kernel.request("/v1/deliveries", { apiKey })).json()
    return JSON.stringify(listed).includes("delivered") ? listed : undefined
  })
  const rejected = (await (await kernel.request("/v1/admin/webhooks/rejected?provider=linear", { apiKey: kernel.secrets.admin })).json()).rejected
  const after = await webhookCounters(kernel)
  return {
    answers,
    // Sorted: background work (the dispatch, Linear's acknowledgement) logs when it is done.
    lines: lines.filter((line) => line.level !== "DEBUG").map((line) => JSON.stringify(withoutVarying(line))).sort(),
    deliveries: withoutVarying(deliveries),
    dispatched: dispatched.map((delivery) => withoutVarying(delivery.dispatch)),
    rejected: withoutVarying(rejected),
    counters: [...after].map(([name, value]) => `${name} ${value - (before.get(name) ?? 0)}`).sort()
  }
}

describe("the webhook lane", () => {
  const lines: Array<LogLine> = []
  const lane: Array<boolean> = []
  let withLane: TestKernel
  let pipelineOnly: TestKernel

  beforeAll(async () => {
    captureLogLines(lines)
    const env = { SWITCHBOARD_ACCESS_LOG: "on" }
    withLane = await startTestKernel({ env, onLane: (ran) => void lane.push(ran) })
    pipelineOnly = await startTestKernel({ env, lane: false })
  })
  afterAll(async () => {
    await withLane.close()
    await pipelineOnly.close()
    vi.restoreAllMocks()
  })

  it("answers, stores, dispatches, logs and counts as the pipeline does", async () => {
    const taken = await runScript(withLane, lines)
    const ranBefore = lane.length
    const piped = await runScript(pipelineOnly, lines)
    expect(lane.length).toBe(ranBefore)

    expect(taken.answers).toEqual(piped.answers)
    expect(taken.answers.map((entry) => (entry as { status: number }).status)).toEqual([200, 200, 200, 200, 401, 401])
    expect(taken.lines).toEqual(piped.lines)
    expect(taken.lines.length).toBeGreaterThan(6)
    expect(taken.deliveries).toEqual(piped.deliveries)
    expect(taken.dispatched).toEqual(piped.dispatched)
    expect(taken.dispatched).toHaveLength(1)
    expect(taken.rejected).toEqual(piped.rejected)
    expect(taken.counters).toEqual(piped.counters)
    expect(taken.counters).toContain('switchboard_webhooks_duplicate{provider="linear"} 2')
  })

  it("stored the four verified deliveries itself, and left the two refusals to the pipeline", () => {
    // One run of its statements per delivery (the script sends them one at a time), none refused.
    expect(lane).toEqual([true, true, true, true])
  })
})
