/**
 * Health, in two answers, both within a second whatever the database does:
 *
 * - `GET /health`, the instance probe (load balancers, supervisors): 200 `{ ok: true }` while the
 *   database (when the storage adapter can tell, see `DatabaseHealth`) can be read and written;
 *   otherwise 503 `{ ok: false, status: "degraded", database: "locked" | "unavailable" }` with
 *   `Retry-After`. It ignores the outbox on purpose: a sink that is down would fail every
 *   instance's probe at once, and restarting them cannot help.
 * - `GET /health/details`, for monitoring: the same database state, the outbox (pending and dead
 *   counts, the oldest pending dispatch's age, whether it is stuck: older than
 *   SWITCHBOARD_OUTBOX_STUCK_AFTER) and which providers are configured. 503 `degraded` when the
 *   database fails or the outbox is stuck, with the problems named. It also refreshes the outbox
 *   gauges (`Metrics.ts`).
 */
import { Effect, Layer, Option } from "effect"
import { KernelConfig } from "../KernelConfig.ts"
import { sampleOutboxDepth } from "../observability/OutboxDepth.ts"
import { Registry } from "../registry/Registry.ts"
import { type DatabaseState, DatabaseHealth } from "../store/DatabaseHealth.ts"
import { OutboxStore } from "../store/OutboxStore.ts"
import { providerSetup } from "./IntegrationRoutes.ts"
import { json, STORAGE_RETRY_AFTER_SECONDS } from "./Respond.ts"
import { route } from "./Route.ts"

/** The check bounds itself; this is the backstop that keeps the answer under a second. */
const HEALTH_DEADLINE_MS = 900
const DEFAULT_OUTBOX_STUCK_AFTER_MS = 15 * 60_000

const retryAfter = { "retry-after": String(STORAGE_RETRY_AFTER_SECONDS) }

const answer = (state: DatabaseState) =>
  state === "ok"
    ? json(200, { ok: true })
    : json(503, { ok: false, status: "degraded", database: state }, retryAfter)

export const HealthRoutes = Layer.unwrap(Effect.gen(function*() {
  const database = yield* Effect.serviceOption(DatabaseHealth)
  const outbox = yield* OutboxStore
  const registry = yield* Registry
  const config = yield* KernelConfig
  const stuckAfterMs = config.outboxStuckAfterMs ?? DEFAULT_OUTBOX_STUCK_AFTER_MS
  // Only the setup: a whole description would derive every tool's JSON Schema at start.
  const providers = registry.providers.map((provider) => ({ id: provider.id, ...providerSetup(provider) }))
  const configured = providers.filter((provider) => provider.configured).map((provider) => provider.id)
  const notConfigured = providers.filter((provider) => !provider.configured).map((provider) => provider.id)

  const databaseState: Effect.Effect<DatabaseState> = Option.match(database, {
    onNone: () => Effect.succeed("ok"),
    onSome: ({ check }) =>
      check.pipe(Effect.timeoutOrElse({ duration: HEALTH_DEADLINE_MS, orElse: () => Effect.succeed<DatabaseState>("locked") }))
  })

  const outboxState = Effect.gen(function*() {
    const { dead, oldestPendingAgeMs, pending } = yield* Effect.provideService(sampleOutboxDepth, OutboxStore, outbox)
    return {
      pending,
      dead,
      oldestPendingAgeSeconds: oldestPendingAgeMs === null ? null : Math.floor(oldestPendingAgeMs / 1000),
      stuck: oldestPendingAgeMs !== null && oldestPendingAgeMs > stuckAfterMs
    }
  }).pipe(
    Effect.catch(() => Effect.succeed(null)),
    Effect.timeoutOrElse({ duration: HEALTH_DEADLINE_MS, orElse: () => Effect.succeed(null) })
  )

  const details = Effect.gen(function*() {
    const [state, queue] = yield* Effect.all([databaseState, outboxState], { concurrency: 2 })
    const problems = [
      ...(state === "ok" ? [] : [`the database is ${state}`]),
      ...(queue === null ? ["the outbox could not be read"] : []),
      ...(queue?.stuck === true
        ? [`the oldest pending dispatch is ${queue.oldestPendingAgeSeconds} s old (stuck after ${Math.round(stuckAfterMs / 1000)} s)`]
        : [])
    ]
    const body = {
      ok: problems.length === 0,
      status: problems.length === 0 ? "ok" : "degraded",
      problems,
      database: state,
      outbox: queue,
      providers: { configured, notConfigured }
    }
    return problems.length === 0 ? json(200, body) : json(503, body, retryAfter)
  })

  return Layer.mergeAll(
    route("GET", "/health", Effect.map(databaseState, answer)),
    route("GET", "/health/details", details)
  )
}))
