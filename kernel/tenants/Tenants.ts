/**
 * Tenants and API keys. A key is `sbk_<random>`, shown once; only its SHA-256 is stored. The
 * admin token (SWITCHBOARD_ADMIN_TOKEN) creates tenants; tenant keys reach everything else.
 */
import { Clock, Context, Effect, Layer, Option, Redacted } from "effect"
import { ApiError, type StoreError } from "../domain/Errors.ts"
import { TenantId } from "../domain/Ids.ts"
import { KernelConfig } from "../KernelConfig.ts"
import { type Tenant, TenantStore } from "../store/TenantStore.ts"
import { randomToken, sha256Hex as digestHex, utf8Encode } from "../encoding/Encoding.ts"

const KEY_PREFIX = "sbk_"

export const sha256Hex = (text: string) => Effect.promise(() => digestHex(utf8Encode(text)))

/** Compares two secrets in constant time by comparing their digests. */
const sameSecret = (left: string, right: string) =>
  Effect.map(Effect.all([sha256Hex(left), sha256Hex(right)]), ([a, b]) => {
    let difference = 0
    for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index)
    return difference === 0
  })

const bearer = (authorization: string | null): Option.Option<string> => {
  const match = authorization === null ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization)
  return Option.fromNullishOr(match?.[1])
}

const unauthorized = (message: string) => new ApiError({ reason: "Unauthorized", message })

export class Tenants extends Context.Service<Tenants, {
  readonly create: (name: string) => Effect.Effect<{ readonly tenant: Tenant; readonly apiKey: string }, StoreError>
  readonly createApiKey: (tenantId: TenantId, name: string) => Effect.Effect<string, StoreError | ApiError>
  /** The tenant a request's `Authorization: Bearer <api key>` belongs to. */
  readonly authenticate: (authorization: string | null) => Effect.Effect<TenantId, ApiError | StoreError>
  readonly authenticateAdmin: (authorization: string | null) => Effect.Effect<void, ApiError>
}>()("switchboard/tenants/Tenants") {
  static readonly layer = Layer.effect(
    Tenants,
    Effect.gen(function*() {
      const store = yield* TenantStore
      const config = yield* KernelConfig

      const createApiKey = Effect.fn("Tenants.createApiKey")(function*(tenantId: TenantId, name: string) {
        const tenant = yield* store.getTenant(tenantId)
        if (Option.isNone(tenant)) return yield* new ApiError({ reason: "NotFound", message: "No such tenant" })
        const apiKey = KEY_PREFIX + randomToken(24)
        yield* store.insertApiKey({
          id: crypto.randomUUID(),
          tenantId,
          name,
          prefix: apiKey.slice(0, KEY_PREFIX.length + 6),
          hash: yield* sha256Hex(apiKey),
          createdAt: yield* Clock.currentTimeMillis,
          revokedAt: null
        })
        return apiKey
      })

      const create = Effect.fn("Tenants.create")(function*(name: string) {
        const tenant: Tenant = {
          id: TenantId.make(`ten_${randomToken(12)}`),
          name,
          createdAt: yield* Clock.currentTimeMillis
        }
        yield* store.createTenant(tenant)
        const apiKey = yield* createApiKey(tenant.id, "default").pipe(
          Effect.catchTag("ApiError", (error) => Effect.die(error))
        )
        return { tenant, apiKey }
      })

      const authenticate = Effect.fn("Tenants.authenticate")(function*(authorization: string | null) {
        const key = bearer(authorization)
        if (Option.isNone(key) || !key.value.startsWith(KEY_PREFIX)) {
          return yield* unauthorized("Send a tenant API key as 'Authorization: Bearer sbk_...'")
        }
        const record = yield* store.findApiKeyByHash(yield* sha256Hex(key.value))
        if (Option.isNone(record)) return yield* unauthorized("The API key is not valid")
        return record.value.tenantId
      })

      const authenticateAdmin = Effect.fn("Tenants.authenticateAdmin")(function*(authorization: string | null) {
        const token = bearer(authorization)
        if (Option.isNone(config.adminToken)) {
          return yield* unauthorized("Tenant administration is disabled: SWITCHBOARD_ADMIN_TOKEN is not set")
        }
        if (Option.isNone(token) || !(yield* sameSecret(token.value, Redacted.value(config.adminToken.value)))) {
          return yield* unauthorized("The admin token is not valid")
        }
      })

      return Tenants.of({ create, createApiKey, authenticate, authenticateAdmin })
    })
  )
}
