/**
 * Tool calls per tenant, provider and minute over the last hour, in this process's memory: the
 * Overview's tool-call chart. Tool calls leave no row of their own (writing one per call would
 * cost more than the call's bookkeeping is worth), so unlike deliveries and dispatches these
 * counts are per process and start empty after a restart; on Workers, per isolate.
 * Bounded: minutes older than an hour are dropped whenever a new minute starts.
 */
import { Clock, Context, Effect, Layer } from "effect"

export const WINDOW_MINUTES = 60

export interface ToolCallMinute {
  readonly minute: number
  readonly providerId: string
  readonly calls: number
  readonly errors: number
}

export class ToolCallCounts extends Context.Service<ToolCallCounts, {
  readonly record: (tenantId: string, providerId: string, ok: boolean) => Effect.Effect<void>
  readonly since: (tenantId: string, since: number) => Effect.Effect<ReadonlyArray<ToolCallMinute>>
}>()("switchboard/observability/ToolCallCounts") {
  static readonly layer = Layer.sync(ToolCallCounts, () => {
    // minute -> "tenant\u0000provider" -> counts
    const minutes = new Map<number, Map<string, { calls: number; errors: number }>>()
    let newest = 0

    const record = (tenantId: string, providerId: string, ok: boolean) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const minute = Math.floor(now / 60_000) * 60_000
        if (minute > newest) {
          newest = minute
          for (const key of minutes.keys()) if (key <= minute - WINDOW_MINUTES * 60_000) minutes.delete(key)
        }
        let counts = minutes.get(minute)
        if (counts === undefined) minutes.set(minute, counts = new Map())
        const key = `${tenantId}\u0000${providerId}`
        const entry = counts.get(key) ?? { calls: 0, errors: 0 }
        entry.calls += 1
        if (!ok) entry.errors += 1
        counts.set(key, entry)
      })

    const since = (tenantId: string, from: number) =>
      Effect.sync(() => {
        const prefix = `${tenantId}\u0000`
        const found: Array<ToolCallMinute> = []
        for (const [minute, counts] of minutes) {
          if (minute < Math.floor(from / 60_000) * 60_000) continue
          for (const [key, entry] of counts) {
            if (key.startsWith(prefix)) found.push({ minute, providerId: key.slice(prefix.length), ...entry })
          }
        }
        return found
      })

    return ToolCallCounts.of({ record, since })
  })
}
