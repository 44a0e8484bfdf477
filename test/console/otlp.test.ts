/**
 * Spans leave for an OpenTelemetry collector when OTEL_EXPORTER_OTLP_ENDPOINT is set: a
 * webhook's stages (receive, decide, deliver) arrive at `<endpoint>/v1/traces` as OTLP JSON,
 * each carrying the webhook's correlation id, under OTEL_SERVICE_NAME, in one trace. The
 * delivery takes the webhook lane with tracing on too (`kernel/webhooks/LaneSpans.ts`): tracing
 * must not send every delivery down the slower pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { type Served, serve } from "../support/serve.ts"

describe("OTLP export", () => {
  const exported: Array<{ readonly path: string; readonly body: string }> = []
  let collector: Served
  let kernel: TestKernel
  const lane: Array<boolean> = []
  beforeAll(async () => {
    collector = await serve(async (request) => {
      exported.push({ path: new URL(request.url).pathname, body: await request.text() })
      return new Response("{}", { headers: { "content-type": "application/json" } })
    })
    kernel = await startTestKernel({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: "switchboard-test" }, onLane: (ran) => void lane.push(ran) })
  })
  afterAll(() => collector.close())

  it("sends the webhook's spans with its correlation id when the app stops", async () => {
    const { apiKey } = await kernel.createTenant("traced")
    const installationId = await kernel.installLinear(apiKey)
    await kernel.publish(apiKey, { installationId, agentId: "agent-otel", scopes: ["issues:read"], granularity: "issue" })
    const issue = kernel.linear.control.seedIssue({ title: "Traced" })
    const deliveryId = crypto.randomUUID()
    const answered = await kernel.linearWebhook(agentSessionCreated({ issue: { id: issue.id, identifier: issue.identifier } }), { deliveryId })
    expect(answered.status).toBe(200)
    expect(lane).toEqual([true])
    await kernel.eventually(() => kernel.deliveries.find((delivery) => delivery.dispatch.deliveryId === deliveryId))
    // Shutting down flushes what is buffered.
    await kernel.close()

    const traces = exported.filter((entry) => entry.path === "/v1/traces").map((entry) => entry.body).join("\n")
    expect(traces).toContain("switchboard-test")
    for (const span of ["Webhooks.receive", "Dispatch.decide", "Dispatch.deliver"]) expect(traces).toContain(span)
    const spans: Array<{
      name: string
      traceId: string
      spanId: string
      parentSpanId?: string
      attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string | number } }>
    }> = exported
      .filter((entry) => entry.path === "/v1/traces")
      .flatMap((entry) => JSON.parse(entry.body).resourceSpans.flatMap((resource: { scopeSpans: Array<{ spans: Array<never> }> }) =>
        resource.scopeSpans.flatMap((scope) => scope.spans)
      ))
    const correlated = spans.filter((span) =>
      span.attributes.some((attribute) => attribute.key === "correlationId" && attribute.value.stringValue === deliveryId)
    )
    expect(correlated.map((span) => span.name)).toEqual(expect.arrayContaining(["Webhooks.receive", "Dispatch.decide", "Dispatch.deliver"]))
    // One trace: the delivery's root, its store under it, the decision and the delivery below.
    const root = correlated.find((span) => span.name === "Webhooks.receive")!
    expect(root.parentSpanId ?? "").toBe("")
    expect(new Set(correlated.map((span) => span.traceId))).toEqual(new Set([root.traceId]))
    const store = spans.find((span) => span.name === "WebhookLane.store" && span.parentSpanId === root.spanId)
    expect(store?.attributes).toContainEqual({ key: "deliveries", value: { intValue: 1 } })
    const byId = new Map(spans.map((span) => [span.spanId, span]))
    const ancestors = (name: string) => {
      const names: Array<string> = []
      for (let span = correlated.find((each) => each.name === name); span?.parentSpanId; span = byId.get(span.parentSpanId)) {
        names.push(byId.get(span.parentSpanId)?.name ?? "?")
      }
      return names
    }
    expect(ancestors("Dispatch.decide")).toEqual(["Background.dispatch", "Webhooks.receive"])
  })
})
