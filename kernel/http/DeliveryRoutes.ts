/**
 * `/v1/deliveries` and `/v1/sessions`: decodes requests and encodes responses around the
 * Deliveries service, which joins received events with their dispatches and replays them. The
 * list pages with an opaque cursor (`nextCursor`, null on the last page) and filters by status,
 * provider and time.
 */
import { Effect, Layer, Option, Schema } from "effect"
import { Deliveries } from "../deliveries/Deliveries.ts"
import { ApiError } from "../domain/Errors.ts"
import { EventId, ProviderId } from "../domain/Ids.ts"
import { WebhookEventStatus } from "../domain/WebhookEvent.ts"
import { base64UrlDecode, base64UrlEncode, utf8Decode } from "../encoding/Encoding.ts"
import { pathParam, requestUrl, tenantOf } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const Limit = Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 200 }))
const limit = Effect.map(requestUrl, (url) =>
  Option.getOrElse(Schema.decodeUnknownOption(Limit)(url.searchParams.get("limit") ?? ""), () => 50))

const eventId = Effect.map(pathParam("id"), EventId.make)

/** An opaque cursor: base64url JSON of the last event's receipt time and id. */
const Cursor = Schema.Struct({ receivedAt: Schema.Finite, id: EventId })
const encodeCursor = (cursor: typeof Cursor.Type): string => base64UrlEncode(JSON.stringify(cursor))
const decodeCursor = (text: string) =>
  Option.flatMap(
    Option.fromNullishOr(base64UrlDecode(text)),
    (bytes) => Schema.decodeUnknownOption(Schema.fromJsonString(Cursor))(utf8Decode(bytes) ?? "")
  )

const invalid = (message: string) => new ApiError({ reason: "BadRequest", message })

/** `?limit=&cursor=&status=&provider=&since=` (since: epoch ms or an ISO date). */
const deliveryQuery = Effect.gen(function*() {
  const params = (yield* requestUrl).searchParams
  const optional = <A>(name: string, decode: (text: string) => Option.Option<A>, what: string) => {
    const text = params.get(name)
    if (text === null || text.length === 0) return Effect.succeed(undefined)
    return Option.match(decode(text), {
      onNone: () => Effect.fail(invalid(`${name} must be ${what}`)),
      onSome: (value) => Effect.succeed(value)
    })
  }
  return {
    limit: yield* limit,
    after: yield* optional("cursor", decodeCursor, "the nextCursor of a previous page"),
    status: yield* optional("status", Schema.decodeUnknownOption(WebhookEventStatus), "received, dispatched, ignored or failed"),
    providerId: yield* optional("provider", Schema.decodeUnknownOption(ProviderId), "a provider id"),
    since: yield* optional("since", (text) => {
      const at = /^\d+$/.test(text) ? Number(text) : Date.parse(text)
      return Number.isFinite(at) ? Option.some(at) : Option.none()
    }, "epoch milliseconds or an ISO date")
  }
})
const noSuchDelivery = () => new ApiError({ reason: "NotFound", message: "No such delivery" })

export const DeliveryRoutes = Layer.mergeAll(
  route(
    "GET",
    "/v1/deliveries",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const query = yield* deliveryQuery
      const deliveries = yield* (yield* Deliveries).list(tenantId, query)
      // A full page may have more behind it; the cursor names where it ended.
      const last = deliveries.length === query.limit ? deliveries.at(-1) : undefined
      const nextCursor = last === undefined ? null : encodeCursor({ receivedAt: last.event.receivedAt, id: last.event.id })
      return json(200, { deliveries, nextCursor })
    }))
  ),
  route(
    "GET",
    "/v1/deliveries/:id",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const delivery = yield* (yield* Deliveries).get(tenantId, yield* eventId)
      if (Option.isNone(delivery)) return yield* noSuchDelivery()
      return json(200, delivery.value)
    }))
  ),
  route(
    "POST",
    "/v1/deliveries/:id/replay",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const replayed = yield* (yield* Deliveries).replay(tenantId, yield* eventId)
      if (replayed === "missing") return yield* noSuchDelivery()
      if (replayed === "pruned") {
        return yield* new ApiError({
          reason: "Conflict",
          message: "This delivery's body was removed by retention (SWITCHBOARD_RETENTION_DAYS); it cannot be replayed"
        })
      }
      return json(202, { ok: true })
    }))
  ),
  route(
    "GET",
    "/v1/sessions",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      return json(200, { sessions: yield* (yield* Deliveries).sessions(tenantId, { limit: yield* limit }) })
    }))
  )
)
