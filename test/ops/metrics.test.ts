/**
 * Metrics: `/metrics` (admin token) renders the kernel's metrics in the Prometheus text format,
 * parsed here line by line (every sample a `name{labels} value` under its `# TYPE`); with an OTLP
 * endpoint set, the same metrics reach a local fake collector at `/v1/metrics`. And
 * `/health/details`: database, outbox counts and age, providers, and degraded when the outbox is
 * stuck.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { type Served, serve } from "../support/serve.ts"

interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/** The exposition format's grammar, strictly: a line that is neither a comment nor a sample fails. */
const parseExposition = (text: string) => {
  const types = new Map<string, string>()
  const samples: Array<Sample> = []
  expect(text.endsWith("\n")).toBe(true)
  for (const line of text.split("\n")) {
    if (line.length === 0) continue
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line)
    if (type !== null) {
      types.set(type[1]!, type[2]!)
      continue
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line)
    if (sample === null) throw new Error(`not an exposition line: ${line}`)
    const labels: Record<string, string> = {}
    for (const pair of (sample[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) })
  }
  const familyOf = (name: string) => [...types.keys()].find((family) => name === family || name.startsWith(`${family}_`))
  for (const sample of samples) expect(familyOf(sample.name), `${sample.name} has no # TYPE`).toBeDefined()
  return { types, samples }
}

const valueOf = (samples: ReadonlyArray<Sample>, name: string, labels: Record<string, string>) =>
  samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))?.value

describe("metrics and health details", () => {
  let kernel: TestKernel
  let collector: Served
  const exported: Array<{ readonly path: string; readonly body: string }> = []
  beforeAll(async () => {
    collector = await serve(async (request) => {
      exported.push({ path: new URL(request.url).pathname, body: await request.text() })
      return new Response("{}", { headers: { "content-type": "application/json" } })
    })
    kernel = await startTestKernel({ env: { SWITCHBOARD_OTLP_ENDPOINT: collector.url, SWITCHBOARD_OUTBOX_STUCK_AFTER: "1 seconds" } })
  })
  afterAll(() => collector.close())

  it("counts webhooks, refusals and dispatches, in the Prometheus text format, for the admin only", async () => {
    const { apiKey } = await kernel.createTenant("measured")
    const installationId = await kernel.installLinear(apiKey)
    await kernel.publish(apiKey, { installationId, agentId: "agent-metrics", scopes: ["issues:read"], granularity: "issue" })
    const issue = kernel.linear.control.seedIssue({ title: "Measured" })
    const deliveryId = crypto.randomUUID()
    expect((await kernel.linearWebhook(agentSessionCreated({ issue: { id: issue.id, identifier: issue.identifier } }), { deliveryId })).status)
      .toBe(200)
    expect((await kernel.linearWebhook(agentSessionCreated({ issue: { id: issue.id, identifier: issue.identifier } }), { deliveryId })).status)
      .toBe(200)
    expect((await kernel.linearWebhook({ type: "Issue" }, { secret: "wrong" })).status).toBe(401)
    await kernel.eventually(() => kernel.deliveries.find((delivery) => delivery.dispatch.deliveryId === deliveryId))

    expect((await kernel.request("/metrics")).status).toBe(401)
    expect((await kernel.request("/metrics", { apiKey })).status).toBe(401)
    const response = await kernel.request("/metrics", { apiKey: kernel.secrets.admin })
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("text/plain")
    const { samples, types } = parseExposition(await response.text())

    const family = (prefix: string) => [...types.keys()].find((name) => name.startsWith(prefix))!
    const received = family("switchboard_webhooks_received")
    expect(types.get(received)).toBe("counter")
    expect(valueOf(samples, received, { provider: "linear" })).toBeGreaterThanOrEqual(1)
    expect(valueOf(samples, family("switchboard_webhooks_duplicate"), { provider: "linear" })).toBeGreaterThanOrEqual(1)
    expect(valueOf(samples, family("switchboard_webhooks_rejected"), { provider: "linear", reason: "BadSignature" })).toBeGreaterThanOrEqual(1)
    await kernel.eventually(async () => {
      const again = parseExposition(await (await kernel.request("/metrics", { apiKey: kernel.secrets.admin })).text())
      return (valueOf(again.samples, family("switchboard_dispatch_outcomes"), { provider: "linear", outcome: "delivered" }) ?? 0) >= 1 &&
        (valueOf(again.samples, `${family("switchboard_dispatch_latency_ms")}_count`, { provider: "linear", outcome: "delivered" }) ?? 0) >= 1
    })
    expect(types.get(family("switchboard_dispatch_latency_ms"))).toBe("histogram")
    expect(types.get(family("switchboard_outbox_pending"))).toBe("gauge")
    expect(valueOf(samples, family("switchboard_outbox_dead"), {})).toBe(0)
  })

  it("says what the outbox holds, and degrades when it is stuck", async () => {
    const healthy = await kernel.request("/health/details")
    expect(healthy.status).toBe(200)
    const body = await healthy.json()
    expect(body).toMatchObject({ ok: true, status: "ok", problems: [], database: "ok", outbox: { pending: 0, dead: 0, oldestPendingAgeSeconds: null } })
    expect(body.providers.configured).toContain("linear")
    expect(body.providers.notConfigured.length + body.providers.configured.length).toBeGreaterThanOrEqual(4)
    // The instance probe keeps its short answer.
    expect(await (await kernel.request("/health")).json()).toEqual({ ok: true })

    const { apiKey } = await kernel.createTenant("stuck")
    const installationId = await kernel.installLinear(apiKey)
    await kernel.publish(apiKey, { installationId, agentId: "agent-stuck", scopes: ["issues:read"], granularity: "issue" })
    kernel.sink = () => Promise.reject(new Error("the agent platform is down"))
    const issue = kernel.linear.control.seedIssue({ title: "Stuck" })
    await kernel.linearWebhook(agentSessionCreated({ issue: { id: issue.id, identifier: issue.identifier } }))
    const degraded = await kernel.eventually(async () => {
      const answer = await kernel.request("/health/details")
      return answer.status === 503 ? answer : undefined
    }, 15_000)
    const details = await degraded.json()
    expect(details).toMatchObject({ ok: false, status: "degraded", database: "ok", outbox: { stuck: true } })
    expect(details.outbox.pending).toBeGreaterThanOrEqual(1)
    expect(details.problems.join(" ")).toContain("oldest pending dispatch")
    expect(degraded.headers.get("retry-after")).toBe("1")
    kernel.sink = async () => {}
  })

  it("exports the metrics over OTLP to the configured endpoint", async () => {
    // Stopping the app flushes the exporter.
    await kernel.close()
    const metrics = exported.filter((entry) => entry.path === "/v1/metrics").map((entry) => entry.body).join("\n")
    expect(metrics).toContain("switchboard_webhooks_received")
    expect(metrics).toContain("switchboard_dispatch_latency_ms")
    const traces = exported.filter((entry) => entry.path === "/v1/traces")
    expect(traces.length).toBeGreaterThan(0)
  })
})
