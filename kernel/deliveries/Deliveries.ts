/**
 * Deliveries, tenant-scoped: each received webhook event with the dispatches it produced
 * (status, attempts, last error), one delivery in detail, replay, and the session bindings.
 * It joins the webhook-event store and the outbox so callers never read the two apart.
 *
 * Listed events carry no body or headers (they can be large and may hold personal data); one
 * delivery's detail has its body and headers, never a signature or credential header: with the
 * raw body, a signature is all a replay needs. New rows are stored without them; rows stored
 * before that are cleaned here. Replay itself is the outbox's (`Dispatch.replay`).
 */
import { Context, Effect, Layer, Option } from "effect"
import { Registry } from "../registry/Registry.ts"
import type { StoreError } from "../domain/Errors.ts"
import type { EventId, TenantId } from "../domain/Ids.ts"
import { isPruned, type Replayed, type WebhookEvent } from "../domain/WebhookEvent.ts"
import { Dispatch } from "../dispatch/Dispatch.ts"
import { type OutboxEntry, OutboxStore } from "../store/OutboxStore.ts"
import { type SessionBinding, SessionBindingStore } from "../store/SessionBindingStore.ts"
import { type WebhookEventQuery, WebhookEventStore } from "../store/WebhookEventStore.ts"
import { declaredSignatureHeaders, withoutCredentials } from "../webhooks/StoredHeaders.ts"

/** Dispatches shown per delivery: more than any event fans out to in practice. */
const DISPATCHES_PER_DELIVERY = 50

export type EventSummary = Omit<WebhookEvent, "body" | "headers">

export interface DispatchSummary {
  readonly id: string
  readonly status: OutboxEntry["status"]
  readonly attempts: number
  readonly nextAttemptAt: number
  readonly lastError: string | null
  readonly publicationId: OutboxEntry["dispatch"]["publicationId"]
  readonly agentId: string
  readonly mode: OutboxEntry["dispatch"]["mode"]
  readonly sessionKey: OutboxEntry["dispatch"]["sessionKey"]
  readonly sessionId: OutboxEntry["dispatch"]["sessionId"]
  readonly createdAt: number
  readonly updatedAt: number
}

export interface DeliverySummary {
  readonly event: EventSummary
  readonly dispatches: ReadonlyArray<DispatchSummary>
  /** Retention emptied its body: it cannot be replayed. */
  readonly pruned: boolean
}

export interface Delivery {
  readonly event: WebhookEvent
  readonly dispatches: ReadonlyArray<DispatchSummary>
  /** Its body and headers were emptied by retention (SWITCHBOARD_RETENTION_DAYS): `""` and `{}`. */
  readonly pruned: boolean
}

export type { Replayed } from "../domain/WebhookEvent.ts"

const summary = ({ body: _body, headers: _headers, ...event }: WebhookEvent): EventSummary => event

const dispatchSummary = (entry: OutboxEntry): DispatchSummary => ({
  id: entry.id,
  status: entry.status,
  attempts: entry.attempts,
  nextAttemptAt: entry.nextAttemptAt,
  lastError: entry.lastError,
  publicationId: entry.dispatch.publicationId,
  agentId: entry.dispatch.agentId,
  mode: entry.dispatch.mode,
  sessionKey: entry.dispatch.sessionKey,
  sessionId: entry.dispatch.sessionId,
  createdAt: entry.createdAt,
  updatedAt: entry.updatedAt
})

export class Deliveries extends Context.Service<Deliveries, {
  /** Deliveries newest first, without bodies: `limit` of them, filtered, after a cursor. */
  readonly list: (tenantId: TenantId, query: WebhookEventQuery) => Effect.Effect<ReadonlyArray<DeliverySummary>, StoreError>
  readonly get: (tenantId: TenantId, id: EventId) => Effect.Effect<Option.Option<Delivery>, StoreError>
  /**
   * Decides the event again and redelivers its dispatches: `missing` if the tenant has no such
   * event, `pruned` if retention emptied its body (there is nothing left to decide from).
   */
  readonly replay: (tenantId: TenantId, id: EventId) => Effect.Effect<Replayed, StoreError>
  readonly sessions: (tenantId: TenantId, options: { readonly limit: number }) => Effect.Effect<ReadonlyArray<SessionBinding>, StoreError>
}>()("switchboard/deliveries/Deliveries") {
  static readonly layer = Layer.effect(
    Deliveries,
    Effect.gen(function*() {
      const events = yield* WebhookEventStore
      const outbox = yield* OutboxStore
      const bindings = yield* SessionBindingStore
      const dispatch = yield* Dispatch
      const registry = yield* Registry

      /** The event as shown: its headers without signatures, whatever was stored. */
      const shown = (event: WebhookEvent): WebhookEvent => {
        const declared = Option.match(registry.get(event.providerId), {
          onNone: () => [],
          onSome: (provider) => declaredSignatureHeaders(provider.webhook)
        })
        return { ...event, headers: withoutCredentials(event.headers, declared) }
      }

      const dispatchesOf = (tenantId: TenantId, eventId: EventId) =>
        Effect.map(outbox.list(tenantId, { eventId, limit: DISPATCHES_PER_DELIVERY }), (entries) => entries.map(dispatchSummary))

      return Deliveries.of({
        list: Effect.fn("Deliveries.list")(function*(tenantId: TenantId, query: WebhookEventQuery) {
          const listed = yield* events.list(tenantId, query)
          return yield* Effect.forEach(listed, (event) =>
            Effect.map(dispatchesOf(tenantId, event.id), (dispatches): DeliverySummary => ({
              event: summary(event),
              dispatches,
              pruned: isPruned(event)
            })))
        }),
        get: Effect.fn("Deliveries.get")(function*(tenantId: TenantId, id: EventId) {
          const event = yield* events.get(tenantId, id)
          if (Option.isNone(event)) return Option.none<Delivery>()
          const dispatches = yield* dispatchesOf(tenantId, event.value.id)
          return Option.some<Delivery>({ event: shown(event.value), dispatches, pruned: isPruned(event.value) })
        }),
        replay: (tenantId, id) => dispatch.replay(tenantId, id),
        sessions: (tenantId, options) => bindings.list(tenantId, options.limit)
      })
    })
  )
}
