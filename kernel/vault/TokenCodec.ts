/**
 * How a TokenSet is sealed: JSON inside the Vault, bound to `<tenant>/<installation>`. The
 * binding is what makes a ciphertext copied to another row fail to open.
 */
import { Effect, Option, Redacted, Schema } from "effect"
import type { TokenSet } from "../domain/Credentials.ts"
import { VaultError } from "../domain/Errors.ts"
import type { InstallationId, TenantId } from "../domain/Ids.ts"
import type { Sealed } from "../store/Sealed.ts"
import type { Vault } from "./Vault.ts"

const StoredTokens = Schema.Struct({
  accessToken: Schema.String,
  refreshToken: Schema.NullOr(Schema.String),
  expiresAt: Schema.NullOr(Schema.Number),
  scopes: Schema.Array(Schema.String),
  extra: Schema.Record(Schema.String, Schema.String)
})
const StoredTokensJson = Schema.fromJsonString(StoredTokens)
const decodeStored = Schema.decodeUnknownEffect(StoredTokensJson)
const encodeStored = Schema.encodeEffect(StoredTokensJson)

export const tokenBinding = (tenantId: TenantId, installationId: InstallationId) => `${tenantId}/${installationId}`

export const sealTokens = (
  vault: Vault["Service"],
  tenantId: TenantId,
  installationId: InstallationId,
  tokens: TokenSet
): Effect.Effect<Sealed, VaultError> =>
  encodeStored({
    accessToken: Redacted.value(tokens.accessToken),
    refreshToken: Option.getOrNull(Option.map(tokens.refreshToken, Redacted.value)),
    expiresAt: Option.getOrNull(tokens.expiresAt),
    scopes: tokens.scopes,
    extra: Object.fromEntries(Object.entries(tokens.extra).map(([key, value]) => [key, Redacted.value(value)]))
  }).pipe(
    Effect.orDie,
    Effect.flatMap((json) => vault.seal(Redacted.make(json), tokenBinding(tenantId, installationId)))
  )

export const openTokens = (
  vault: Vault["Service"],
  tenantId: TenantId,
  installationId: InstallationId,
  sealed: Sealed
): Effect.Effect<TokenSet, VaultError> =>
  vault.open(sealed, tokenBinding(tenantId, installationId)).pipe(
    Effect.flatMap((json) =>
      decodeStored(Redacted.value(json)).pipe(
        Effect.mapError(() => new VaultError({ reason: "DecryptFailed", message: "Sealed tokens are not readable" }))
      )
    ),
    Effect.map((stored): TokenSet => ({
      accessToken: Redacted.make(stored.accessToken),
      refreshToken: Option.map(Option.fromNullishOr(stored.refreshToken), (token) => Redacted.make(token)),
      expiresAt: Option.fromNullishOr(stored.expiresAt),
      scopes: stored.scopes,
      extra: Object.fromEntries(Object.entries(stored.extra).map(([key, value]) => [key, Redacted.make(value)]))
    }))
  )
