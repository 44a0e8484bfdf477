/**
 * `GET /v1/overview` (tenant API key): the last hour per minute and provider, for the Console's
 * Overview charts: deliveries received, webhook refusals that named this tenant, dispatch
 * latency (mean ms from enqueue to delivery), tool calls and dead letters. Deliveries,
 * refusals and dispatches are aggregated by the database from stored rows (one grouped read
 * each); tool calls come from this process's counts (`ToolCallCounts`).
 *
 * `minutes` holds the 60 minute starts (epoch ms, oldest first); every series holds one value
 * per minute and provider (`null` latency when nothing was delivered that minute).
 */
import { Clock, Effect } from "effect"
import { ToolCallCounts, WINDOW_MINUTES } from "../observability/ToolCallCounts.ts"
import { Registry } from "../registry/Registry.ts"
import { ActivityStore } from "../store/ActivityStore.ts"
import { RejectedWebhookStore } from "../store/RejectedWebhookStore.ts"
import { tenantOf } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const MINUTE = 60_000

type Series<A> = Record<string, Array<A>>

export const OverviewRoutes = route(
  "GET",
  "/v1/overview",
  guard(Effect.gen(function*() {
    const tenantId = yield* tenantOf
    const registry = yield* Registry
    const activity = yield* ActivityStore
    const now = yield* Clock.currentTimeMillis
    const last = Math.floor(now / MINUTE) * MINUTE
    const from = last - (WINDOW_MINUTES - 1) * MINUTE
    const minutes = Array.from({ length: WINDOW_MINUTES }, (_, index) => from + index * MINUTE)
    const providers = registry.providers.map((provider) => provider.id)

    const [deliveries, rejections, dispatches, toolCalls] = yield* Effect.all([
      activity.deliveriesPerMinute(tenantId, from),
      (yield* RejectedWebhookStore).perMinute(from, tenantId),
      activity.dispatchesPerMinute(tenantId, from),
      (yield* ToolCallCounts).since(tenantId, from)
    ], { concurrency: "unbounded" })

    const empty = <A>(value: A): Series<A> => Object.fromEntries(providers.map((id) => [id, minutes.map(() => value)]))
    const series = {
      deliveries: empty(0),
      rejections: empty(0),
      dispatchLatencyMs: empty<number | null>(null),
      toolCalls: empty(0),
      deadLetters: empty(0)
    }
    // Rows of a provider no longer registered, or outside the window, have no place on the chart.
    const place = <A>(target: Series<A>, providerId: string, minute: number, value: A) => {
      const index = (minute - from) / MINUTE
      const row = target[providerId]
      if (row !== undefined && Number.isInteger(index) && index >= 0 && index < WINDOW_MINUTES) row[index] = value
    }
    for (const row of deliveries) place(series.deliveries, row.providerId, row.minute, row.count)
    for (const row of rejections) place(series.rejections, row.providerId, row.minute, row.count)
    for (const row of toolCalls) place(series.toolCalls, row.providerId, row.minute, row.calls)
    for (const row of dispatches) {
      place(series.deadLetters, row.providerId, row.minute, row.dead)
      if (row.meanLatencyMs !== null) place(series.dispatchLatencyMs, row.providerId, row.minute, Math.round(row.meanLatencyMs))
    }
    const sum = (target: Series<number>) =>
      Object.values(target).reduce((total, row) => total + row.reduce((a, b) => a + b, 0), 0)
    return json(200, {
      minutes,
      providers,
      series,
      totals: {
        deliveries: sum(series.deliveries),
        rejections: sum(series.rejections),
        toolCalls: sum(series.toolCalls),
        deadLetters: sum(series.deadLetters)
      }
    })
  }))
)
