/**
 * Tenants and API keys. A key is `sbk_<random>`, shown once; only its SHA-256 is stored. The
 * admin token (SWITCHBOARD_ADMIN_TOKEN) creates, disables and deletes tenants; tenant keys reach
 * everything else, their own keys included (list, create, revoke, rotate).
 *
 * Every request looks its key up in the store: nothing is cached, so a revoked key or a disabled
 * tenant is refused from the next request on, on every instance. Rotation revokes the old key at
 * once (no grace period): the caller holds the new key in the same answer.
 *
 * A disabled tenant's keys are refused (the key lookup joins the tenant); its webhooks are still
 * verified and stored, so that nothing is lost and vendors do not retry. What it does not do yet:
 * stop the outbox from dispatching them and refuse tool calls made with session tokens minted
 * before the tenant was disabled (the dispatcher and Tools would ask `TenantStore.getTenant`).
 */
import { Clock, Context, Effect, Layer, Option, Redacted } from "effect"
import { ApiError, type StoreError } from "../domain/Errors.ts"
import { TenantId } from "../domain/Ids.ts"
import { KernelConfig } from "../KernelConfig.ts"
import { type ApiKeyRecord, type Tenant, TenantStore } from "../store/TenantStore.ts"
import { randomToken, sha256Hex as digestHex, utf8Encode } from "../encoding/Encoding.ts"

const KEY_PREFIX = "sbk_"
/** How much of a key is kept in clear to tell keys apart (`sbk_` and six random characters). */
const SHOWN_LENGTH = KEY_PREFIX.length + 6

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
const noSuchKey = () => new ApiError({ reason: "NotFound", message: "No such API key (or it is revoked already)" })

/** What a key's owner may see of it: never the key, never its hash. */
export interface ApiKeySummary {
  readonly id: string
  readonly name: string
  readonly prefix: string
  readonly createdAt: number
  readonly lastUsedAt: number | null
  readonly revokedAt: number | null
}

/** A new key: `apiKey` is shown this once. */
export interface IssuedApiKey {
  readonly id: string
  readonly name: string
  readonly prefix: string
  readonly apiKey: string
}

const summaryOf = (key: ApiKeyRecord): ApiKeySummary => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  createdAt: key.createdAt,
  lastUsedAt: key.lastUsedAt ?? null,
  revokedAt: key.revokedAt
})

export class Tenants extends Context.Service<Tenants, {
  readonly create: (name: string) => Effect.Effect<{ readonly tenant: Tenant; readonly apiKey: string }, StoreError>
  readonly createApiKey: (tenantId: TenantId, name: string) => Effect.Effect<IssuedApiKey, StoreError | ApiError>
  readonly listApiKeys: (tenantId: TenantId) => Effect.Effect<ReadonlyArray<ApiKeySummary>, StoreError>
  /** Revokes a key of the tenant's at once; NotFound when it has no such active key. */
  readonly revokeApiKey: (tenantId: TenantId, id: string) => Effect.Effect<void, StoreError | ApiError>
  /** A new key with the old one's name; the old one is revoked at once. */
  readonly rotateApiKey: (tenantId: TenantId, id: string) => Effect.Effect<IssuedApiKey, StoreError | ApiError>
  /** Disables (keys refused) or enables a tenant; NotFound when there is none. */
  readonly setDisabled: (tenantId: TenantId, disabled: boolean) => Effect.Effect<void, StoreError | ApiError>
  /** The tenant a request's `Authorization: Bearer <api key>` belongs to. */
  readonly authenticate: (authorization: string | null) => Effect.Effect<TenantId, ApiError | StoreError>
  /**
   * The tenant whose key the bearer's prefix names, valid or not: whom an attempt aims at (for
   * limiting failures per tenant). None for anything that is not shaped like a key.
   */
  readonly targetOf: (authorization: string | null) => Effect.Effect<Option.Option<TenantId>, StoreError>
  readonly authenticateAdmin: (authorization: string | null) => Effect.Effect<void, ApiError>
}>()("switchboard/tenants/Tenants") {
  static readonly layer = Layer.effect(
    Tenants,
    Effect.gen(function*() {
      const store = yield* TenantStore
      const config = yield* KernelConfig

      const issue = Effect.fn("Tenants.issue")(function*(tenantId: TenantId, name: string) {
        const apiKey = KEY_PREFIX + randomToken(24)
        const record: ApiKeyRecord = {
          id: `key_${randomToken(12)}`,
          tenantId,
          name,
          prefix: apiKey.slice(0, SHOWN_LENGTH),
          hash: yield* sha256Hex(apiKey),
          createdAt: yield* Clock.currentTimeMillis,
          revokedAt: null
        }
        yield* store.insertApiKey(record)
        return { id: record.id, name, prefix: record.prefix, apiKey }
      })

      const createApiKey = Effect.fn("Tenants.createApiKey")(function*(tenantId: TenantId, name: string) {
        const tenant = yield* store.getTenant(tenantId)
        if (Option.isNone(tenant)) return yield* new ApiError({ reason: "NotFound", message: "No such tenant" })
        return yield* issue(tenantId, name)
      })

      const create = Effect.fn("Tenants.create")(function*(name: string) {
        const tenant: Tenant = {
          id: TenantId.make(`ten_${randomToken(12)}`),
          name,
          createdAt: yield* Clock.currentTimeMillis
        }
        yield* store.createTenant(tenant)
        const issued = yield* issue(tenant.id, "default")
        return { tenant, apiKey: issued.apiKey }
      })

      const listApiKeys = (tenantId: TenantId) =>
        Effect.map(store.listApiKeys(tenantId), (keys) => keys.map(summaryOf))

      const revokeApiKey = Effect.fn("Tenants.revokeApiKey")(function*(tenantId: TenantId, id: string) {
        const revoked = yield* store.revokeApiKey(tenantId, id, yield* Clock.currentTimeMillis)
        if (!revoked) return yield* noSuchKey()
      })

      const rotateApiKey = Effect.fn("Tenants.rotateApiKey")(function*(tenantId: TenantId, id: string) {
        const old = (yield* store.listApiKeys(tenantId)).find((key) => key.id === id && key.revokedAt === null)
        if (old === undefined) return yield* noSuchKey()
        const issued = yield* issue(tenantId, old.name)
        yield* revokeApiKey(tenantId, id)
        return issued
      })

      const setDisabled = Effect.fn("Tenants.setDisabled")(function*(tenantId: TenantId, disabled: boolean) {
        const found = yield* store.setTenantDisabled(tenantId, disabled ? yield* Clock.currentTimeMillis : null)
        if (!found) return yield* new ApiError({ reason: "NotFound", message: "No such tenant" })
      })

      const authenticate = Effect.fn("Tenants.authenticate")(function*(authorization: string | null) {
        const key = bearer(authorization)
        if (Option.isNone(key) || !key.value.startsWith(KEY_PREFIX)) {
          return yield* unauthorized("Send a tenant API key as 'Authorization: Bearer sbk_...'")
        }
        const record = yield* store.findApiKeyByHash(yield* sha256Hex(key.value))
        if (Option.isNone(record)) return yield* unauthorized("The API key is not valid")
        yield* store.touchApiKey(record.value.tenantId, record.value.id, yield* Clock.currentTimeMillis)
        return record.value.tenantId
      })

      const targetOf = (authorization: string | null) => {
        const key = bearer(authorization)
        return Option.isSome(key) && key.value.startsWith(KEY_PREFIX) && key.value.length > SHOWN_LENGTH
          ? store.findTenantByKeyPrefix(key.value.slice(0, SHOWN_LENGTH))
          : Effect.succeedNone
      }

      const authenticateAdmin = Effect.fn("Tenants.authenticateAdmin")(function*(authorization: string | null) {
        const token = bearer(authorization)
        if (Option.isNone(config.adminToken)) {
          return yield* unauthorized("Tenant administration is disabled: SWITCHBOARD_ADMIN_TOKEN is not set")
        }
        if (Option.isNone(token) || !(yield* sameSecret(token.value, Redacted.value(config.adminToken.value)))) {
          return yield* unauthorized("The admin token is not valid")
        }
      })

      return Tenants.of({
        create,
        createApiKey,
        listApiKeys,
        revokeApiKey,
        rotateApiKey,
        setDisabled,
        authenticate,
        targetOf,
        authenticateAdmin
      })
    })
  )
}
