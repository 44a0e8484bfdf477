/**
 * The kernel's metrics, as Effect `Metric`s: what `/metrics` renders in the Prometheus text
 * format and what the OTLP exporter sends when an endpoint is configured (`Observability.ts`).
 * They live in Effect's process-wide metric registry, as a Prometheus client's do: one scrape
 * per process, whatever number of apps it serves (background fibers update them too, outside any
 * request's context).
 *
 * Attributes are bounded: provider ids come from the registry (an unregistered one is counted
 * as `unknown`), reasons and outcomes from closed unions, tools from the providers' tool lists.
 */
import { Effect, Metric } from "effect"

/** Dispatch latency buckets, in milliseconds: from an instant delivery to one retried for minutes. */
const latencyBoundaries = Metric.boundariesFromIterable([5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000])

export const webhooksReceived = Metric.counter("switchboard_webhooks_received", {
  description: "Webhook deliveries accepted and stored, by provider",
  incremental: true
})
export const webhooksDuplicate = Metric.counter("switchboard_webhooks_duplicate", {
  description: "Webhook deliveries seen before (same delivery id or signed body), by provider",
  incremental: true
})
export const webhooksRejected = Metric.counter("switchboard_webhooks_rejected", {
  description: "Webhook requests refused (bad signature, stale, malformed, too large, unknown, rate limited), by provider and reason",
  incremental: true
})
export const dispatchLatency = Metric.histogram("switchboard_dispatch_latency_ms", {
  description: "Milliseconds from a dispatch's enqueue to the end of a delivery attempt, by provider and outcome",
  boundaries: latencyBoundaries
})
export const dispatchOutcomes = Metric.counter("switchboard_dispatch_outcomes", {
  description: "Delivery attempts to the session sink, by provider and outcome (delivered, retry, dead)",
  incremental: true
})
export const outboxPending = Metric.gauge("switchboard_outbox_pending", {
  description: "Dispatches waiting in the outbox (all tenants), as of the last health check, scrape or sample"
})
export const outboxDead = Metric.gauge("switchboard_outbox_dead", {
  description: "Dead-lettered dispatches (all tenants), as of the last health check, scrape or sample"
})
export const outboxOldestPendingSeconds = Metric.gauge("switchboard_outbox_oldest_pending_seconds", {
  description: "Age of the oldest pending dispatch, in seconds (0 when none)"
})
export const toolCalls = Metric.counter("switchboard_tool_calls", {
  description: "MCP tool calls, by provider, tool and outcome (ok or the tool error's reason)",
  incremental: true
})
export const tokenRefreshes = Metric.counter("switchboard_token_refreshes", {
  description: "OAuth access token refreshes, by provider and outcome (ok, failed)",
  incremental: true
})

export type DispatchOutcome = "delivered" | "retry" | "dead"

/**
 * A counter's series by provider, each built once (with its attributes fixed, its registry key is
 * computed once): an increment on the webhook hot path is a lookup and an add, where
 * `Metric.withAttributes` per call allocates a metric, a context and a sorted JSON key each time.
 * Provider ids are bounded (the registry's), so the map is too.
 */
const seriesByProvider = (metric: Metric.Counter<number>): (providerId: string) => Metric.Counter<number> => {
  const series = new Map<string, Metric.Counter<number>>()
  return (providerId) => {
    let counter = series.get(providerId)
    if (counter === undefined) {
      counter = Metric.counter(metric.id, { description: metric.description, incremental: true, attributes: { provider: providerId } })
      series.set(providerId, counter)
    }
    return counter
  }
}

const receivedSeries = seriesByProvider(webhooksReceived)
const duplicateSeries = seriesByProvider(webhooksDuplicate)

/** The series one acknowledged delivery counts in (the same as `count(webhooksReceived, { provider })`). */
export const webhookSeries = (status: "accepted" | "duplicate", providerId: string): Metric.Counter<number> =>
  status === "accepted" ? receivedSeries(providerId) : duplicateSeries(providerId)

/** Counts one acknowledged delivery: accepted or duplicate, by provider. */
export const countWebhook = (status: "accepted" | "duplicate", providerId: string): Effect.Effect<void> =>
  Metric.update(webhookSeries(status, providerId), 1)

/** One increment of a counter under these attributes. */
export const count = (metric: Metric.Metric<number, unknown>, attributes: Record<string, string>): Effect.Effect<void> =>
  Metric.update(Metric.withAttributes(metric, attributes), 1)

/** A dispatch attempt's two series (its outcome's count, its latency) by provider and outcome, each built once as above. */
const dispatchSeries = new Map<string, { readonly outcomes: Metric.Counter<number>; readonly latency: Metric.Histogram<number> }>()
const dispatchSeriesOf = (providerId: string, outcome: DispatchOutcome) => {
  const key = `${outcome}\u0000${providerId}`
  let series = dispatchSeries.get(key)
  if (series === undefined) {
    const attributes = { provider: providerId, outcome }
    series = {
      outcomes: Metric.counter(dispatchOutcomes.id, { description: dispatchOutcomes.description, incremental: true, attributes }),
      latency: Metric.histogram(dispatchLatency.id, { description: dispatchLatency.description, boundaries: latencyBoundaries, attributes })
    }
    dispatchSeries.set(key, series)
  }
  return series
}

export const recordDispatch = (providerId: string, outcome: DispatchOutcome, latencyMs: number): Effect.Effect<void> => {
  const series = dispatchSeriesOf(providerId, outcome)
  return Effect.andThen(Metric.update(series.outcomes, 1), Metric.update(series.latency, Math.max(0, latencyMs)))
}

export interface OutboxDepth {
  readonly pending: number
  readonly dead: number
  readonly oldestPendingAgeMs: number | null
}

export const recordOutboxDepth = (depth: OutboxDepth): Effect.Effect<void> =>
  Effect.all([
    Metric.update(outboxPending, depth.pending),
    Metric.update(outboxDead, depth.dead),
    Metric.update(outboxOldestPendingSeconds, Math.floor((depth.oldestPendingAgeMs ?? 0) / 1000))
  ], { discard: true })
