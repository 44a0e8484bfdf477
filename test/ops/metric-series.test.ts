/**
 * The webhook counters' per-provider series (`Metrics.countWebhook`): built once per provider, so
 * an acknowledged delivery allocates no metric, context or key, and counted in the very series
 * `/metrics` renders for `count(metric, { provider })`.
 */
import { Effect, Metric } from "effect"
import { describe, expect, it } from "vitest"
import * as Metrics from "../../kernel/observability/Metrics.ts"

const inFreshRegistry = <A>(effect: Effect.Effect<A>) =>
  Effect.runPromise(Effect.provideService(effect, Metric.MetricRegistry, new Map()))

describe("webhook counter series", () => {
  it("is built once per provider and outcome", () => {
    expect(Metrics.webhookSeries("accepted", "github")).toBe(Metrics.webhookSeries("accepted", "github"))
    expect(Metrics.webhookSeries("duplicate", "github")).toBe(Metrics.webhookSeries("duplicate", "github"))
    expect(Metrics.webhookSeries("accepted", "github")).not.toBe(Metrics.webhookSeries("duplicate", "github"))
    expect(Metrics.webhookSeries("accepted", "github")).not.toBe(Metrics.webhookSeries("accepted", "linear"))
  })

  it("counts in the same series as the attributed counter", async () => {
    const [received, duplicate, other] = await inFreshRegistry(Effect.gen(function*() {
      yield* Metrics.countWebhook("accepted", "github")
      yield* Metrics.count(Metrics.webhooksReceived, { provider: "github" })
      yield* Metrics.countWebhook("duplicate", "github")
      yield* Metrics.countWebhook("accepted", "linear")
      return [
        yield* Metric.value(Metric.withAttributes(Metrics.webhooksReceived, { provider: "github" })),
        yield* Metric.value(Metric.withAttributes(Metrics.webhooksDuplicate, { provider: "github" })),
        yield* Metric.value(Metric.withAttributes(Metrics.webhooksReceived, { provider: "linear" }))
      ] as const
    }))
    expect(received.count).toBe(2)
    expect(duplicate.count).toBe(1)
    expect(other.count).toBe(1)
  })
})
