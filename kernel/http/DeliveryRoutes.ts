/**
 * `/v1/deliveries` and `/v1/sessions`: decodes requests and encodes responses around the
 * Deliveries service, which joins received events with their dispatches and replays them.
 */
import { Effect, Layer, Option, Schema } from "effect"
import { Deliveries } from "../deliveries/Deliveries.ts"
import { ApiError } from "../domain/Errors.ts"
import { EventId } from "../domain/Ids.ts"
import { pathParam, requestUrl, tenantOf } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const Limit = Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 200 }))
const limit = Effect.map(requestUrl, (url) =>
  Option.getOrElse(Schema.decodeUnknownOption(Limit)(url.searchParams.get("limit") ?? ""), () => 50))

const eventId = Effect.map(pathParam("id"), EventId.make)
const noSuchDelivery = () => new ApiError({ reason: "NotFound", message: "No such delivery" })

export const DeliveryRoutes = Layer.mergeAll(
  route(
    "GET",
    "/v1/deliveries",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      return json(200, { deliveries: yield* (yield* Deliveries).list(tenantId, { limit: yield* limit }) })
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
      if (!(yield* (yield* Deliveries).replay(tenantId, yield* eventId))) return yield* noSuchDelivery()
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
