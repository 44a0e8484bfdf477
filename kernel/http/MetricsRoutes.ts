/**
 * `GET /metrics` (admin token): the kernel's metrics (`observability/Metrics.ts`) in the
 * Prometheus text exposition format, rendered by Effect's own `PrometheusMetrics`. Each scrape
 * refreshes the outbox gauges first (two indexed counts), so depth is current even where no
 * health check runs. Metrics are per process: scrape every instance.
 */
import { Effect } from "effect"
import { HttpServerResponse } from "effect/http"
import { PrometheusMetrics } from "effect/observability"
import { sampleOutboxDepth } from "../observability/OutboxDepth.ts"
import { requireAdmin } from "./Requests.ts"
import { guard } from "./Respond.ts"
import { route } from "./Route.ts"

// A scrape during a database outage still answers, with the gauges it had.
const refreshOutboxGauges = Effect.ignore(sampleOutboxDepth)

export const MetricsRoutes = route(
  "GET",
  "/metrics",
  guard(Effect.gen(function*() {
    yield* requireAdmin
    yield* refreshOutboxGauges
    return HttpServerResponse.text(yield* PrometheusMetrics.format(), {
      contentType: "text/plain; version=0.0.4; charset=utf-8"
    })
  }))
)
