/**
 * The rejected-webhook list (`Rejections`), newest first, `?provider=&before=&limit=`:
 *
 * - `GET /v1/webhooks/rejected` (tenant API key): the refusals that named this tenant (its own
 *   app's URL, its webhook limit);
 * - `GET /v1/admin/webhooks/rejected` (admin token): every refusal, per provider (`unknown` for
 *   paths no provider serves), including those no tenant can be told about (a bad signature on
 *   the deployment's app says nothing trustworthy about whose it was).
 *
 * `nextBefore` is the receipt time to pass as `before` for the next page (null on the last).
 */
import { Effect, Layer, Option, Schema } from "effect"
import { ApiError } from "../domain/Errors.ts"
import type { TenantId } from "../domain/Ids.ts"
import { RejectedWebhookStore } from "../store/RejectedWebhookStore.ts"
import { requestUrl, requireAdmin, tenantOf } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const Limit = Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 200 }))
const Before = Schema.NumberFromString.check(Schema.isInt(), Schema.isGreaterThan(0))
const ProviderFilter = Schema.String.check(Schema.isPattern(/^[a-z0-9_-]{1,64}$/))

const query = Effect.gen(function*() {
  const params = (yield* requestUrl).searchParams
  const read = <A>(name: string, schema: Schema.Decoder<A>, what: string) => {
    const text = params.get(name)
    if (text === null || text.length === 0) return Effect.succeed(undefined)
    return Option.match(Schema.decodeUnknownOption(schema)(text), {
      onNone: () => Effect.fail(new ApiError({ reason: "BadRequest", message: `${name} must be ${what}` })),
      onSome: (value) => Effect.succeed(value)
    })
  }
  return {
    limit: (yield* read("limit", Limit, "a whole number from 1 to 200")) ?? 50,
    before: yield* read("before", Before, "epoch milliseconds"),
    providerId: yield* read("provider", ProviderFilter, "a provider id")
  }
})

const listFor = (tenantId: TenantId | undefined) =>
  Effect.gen(function*() {
    const { before, limit, providerId } = yield* query
    const rejected = yield* (yield* RejectedWebhookStore).list({ tenantId, providerId, before, limit })
    const last = rejected.length === limit ? rejected.at(-1) : undefined
    return json(200, { rejected, nextBefore: last === undefined ? null : last.receivedAt })
  })

export const RejectionRoutes = Layer.mergeAll(
  route("GET", "/v1/webhooks/rejected", guard(Effect.flatMap(tenantOf, listFor))),
  route("GET", "/v1/admin/webhooks/rejected", guard(Effect.andThen(requireAdmin, listFor(undefined))))
)
