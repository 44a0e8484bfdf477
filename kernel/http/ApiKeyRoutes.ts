/**
 * `/v1/api-keys` (tenant API key): a tenant's own keys. List shows id, name, prefix, created,
 * last used and revoked, never a key or its hash; create and rotate answer the new key once;
 * revoke and rotate take effect on the next request (rotation revokes the old key at once).
 */
import { Effect, Layer, Schema } from "effect"
import { Tenants } from "../tenants/Tenants.ts"
import { jsonBody, pathParam, tenantOf } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const CreateApiKey = Schema.Struct({
  name: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(200))
})

export const ApiKeyRoutes = Layer.mergeAll(
  route(
    "GET",
    "/v1/api-keys",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      return json(200, { apiKeys: yield* (yield* Tenants).listApiKeys(tenantId) })
    }))
  ),
  route(
    "POST",
    "/v1/api-keys",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const body = yield* jsonBody(CreateApiKey)
      return json(201, { apiKey: yield* (yield* Tenants).createApiKey(tenantId, body.name) })
    }))
  ),
  route(
    "DELETE",
    "/v1/api-keys/:id",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      yield* (yield* Tenants).revokeApiKey(tenantId, yield* pathParam("id"))
      return json(200, { ok: true })
    }))
  ),
  route(
    "POST",
    "/v1/api-keys/:id/rotate",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      return json(201, { apiKey: yield* (yield* Tenants).rotateApiKey(tenantId, yield* pathParam("id")) })
    }))
  )
)
