/**
 * Deliveries and sessions, tenant-scoped: received webhook events with their dispatches
 * (status, attempts, last error), replay, and the session bindings. Event bodies are not
 * listed (they can be large and may hold personal data); one event's body is in its detail.
 */
import { Effect, Layer, Option, Schema } from "effect"

import { ApiError } from "../domain/Errors.ts"
import { EventId } from "../domain/Ids.ts"
import type { WebhookEvent } from "../domain/WebhookEvent.ts"
import { Dispatch } from "../dispatch/Dispatch.ts"
import { OutboxStore } from "../store/OutboxStore.ts"
import type { OutboxEntry } from "../store/OutboxStore.ts"
import { SessionBindingStore } from "../store/SessionBindingStore.ts"
import { WebhookEventStore } from "../store/WebhookEventStore.ts"
import { pathParam, requestUrl, tenantOf } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const Limit = Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 200 }))
const limitOf = (url: URL) =>
  Option.getOrElse(Schema.decodeUnknownOption(Limit)(url.searchParams.get("limit") ?? ""), () => 50)

const summary = ({ body: _body, headers: _headers, ...event }: WebhookEvent) => event
const dispatchSummary = (entry: OutboxEntry) => ({
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

export const DeliveryRoutes = Layer.mergeAll(
  route(
    "GET",
    "/v1/deliveries",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const events = yield* WebhookEventStore
      const outbox = yield* OutboxStore
      const url = yield* requestUrl
      const listed = yield* events.list(tenantId, { limit: limitOf(url) })
      const deliveries = yield* Effect.forEach(listed, (event) =>
        Effect.map(outbox.list(tenantId, { eventId: event.id, limit: 50 }), (entries) => ({
          event: summary(event),
          dispatches: entries.map(dispatchSummary)
        })))
      return json(200, { deliveries })
    }))
  ),
  route(
    "GET",
    "/v1/deliveries/:id",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const event = yield* (yield* WebhookEventStore).get(tenantId, EventId.make(yield* pathParam("id")))
      if (Option.isNone(event)) return yield* new ApiError({ reason: "NotFound", message: "No such delivery" })
      const entries = yield* (yield* OutboxStore).list(tenantId, { eventId: event.value.id, limit: 50 })
      return json(200, { event: event.value, dispatches: entries.map(dispatchSummary) })
    }))
  ),
  route(
    "POST",
    "/v1/deliveries/:id/replay",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const replayed = yield* (yield* Dispatch).replay(tenantId, EventId.make(yield* pathParam("id")))
      if (!replayed) return yield* new ApiError({ reason: "NotFound", message: "No such delivery" })
      return json(202, { ok: true })
    }))
  ),
  route(
    "GET",
    "/v1/sessions",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const url = yield* requestUrl
      return json(200, { sessions: yield* (yield* SessionBindingStore).list(tenantId, limitOf(url)) })
    }))
  )
)
