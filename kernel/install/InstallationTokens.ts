/**
 * The decrypted tokens of an installation, refreshed ahead of expiry and on demand. Refreshes
 * are single flight per installation: concurrent callers wait on one semaphore, then re-read
 * the stored tokens, so a rotating refresh token is used exactly once.
 */
import { Clock, Context, Effect, Layer, Option, Redacted, Result, Semaphore } from "effect"
import type { HttpClient } from "effect/http"
import type { TokenSet } from "../domain/Credentials.ts"
import { InstallError, type StoreError, type VaultError } from "../domain/Errors.ts"
import type { Installation } from "../domain/Installation.ts"
import type { OAuthInstall } from "../provider/Install.ts"
import { Registry } from "../registry/Registry.ts"
import { InstallationStore } from "../store/InstallationStore.ts"
import type { AppContext } from "../provider/Registration.ts"
import { Registrations } from "./Registrations.ts"
import { Revocation } from "./Revocation.ts"
import { openTokens, sealTokens } from "../vault/TokenCodec.ts"
import { Vault } from "../vault/Vault.ts"

/** Refresh this long before expiry, so a token never expires in the middle of a tool call. */
const REFRESH_AHEAD_MS = 60_000

export type TokenFailure = InstallError | StoreError | VaultError

export class InstallationTokens extends Context.Service<InstallationTokens, {
  /** Current tokens, refreshed first when they expire within a minute. */
  readonly get: (installation: Installation) => Effect.Effect<TokenSet, TokenFailure, HttpClient.HttpClient>
  /** Refreshes unless another caller already replaced `stale` (after a vendor 401). */
  readonly refreshAfterRejection: (
    installation: Installation,
    stale: TokenSet
  ) => Effect.Effect<TokenSet, TokenFailure, HttpClient.HttpClient>
  /** Seals and stores a token set for an installation. */
  readonly store: (installation: Installation, tokens: TokenSet) => Effect.Effect<void, StoreError | VaultError>
}>()("switchboard/install/InstallationTokens") {
  static readonly layer = Layer.effect(
    InstallationTokens,
    Effect.gen(function*() {
      const installations = yield* InstallationStore
      const vault = yield* Vault
      const registry = yield* Registry
      const revocation = yield* Revocation
      const registrations = yield* Registrations
      const locks = new Map<string, Semaphore.Semaphore>()
      const lockFor = (key: string) => {
        let lock = locks.get(key)
        if (lock === undefined) {
          lock = Semaphore.makeUnsafe(1)
          locks.set(key, lock)
        }
        return lock
      }

      const load = Effect.fnUntraced(function*(installation: Installation) {
        const secret = yield* installations.getSecret(installation.tenantId, installation.id)
        if (Option.isNone(secret)) {
          return yield* new InstallError({ reason: "InvalidCredentials", message: "The installation has no stored credentials" })
        }
        return yield* openTokens(vault, installation.tenantId, installation.id, secret.value.sealed)
      })

      const store = Effect.fnUntraced(function*(installation: Installation, tokens: TokenSet) {
        const sealed = yield* sealTokens(vault, installation.tenantId, installation.id, tokens)
        yield* installations.setSecret(
          installation.tenantId,
          installation.id,
          { sealed, expiresAt: Option.getOrNull(tokens.expiresAt) },
          yield* Clock.currentTimeMillis
        )
      })

      const oauthOf = (installation: Installation): Option.Option<OAuthInstall> =>
        Option.flatMap(registry.get(installation.providerId), (provider) =>
          Option.fromNullishOr(provider.install.find((method): method is OAuthInstall => method._tag === "OAuth")))

      const refreshWith = Effect.fnUntraced(function*(installation: Installation, current: TokenSet) {
        const refresh = Option.flatMap(oauthOf(installation), (oauth) => oauth.refresh)
        // Whether a refresh is possible (a refresh token, an app key) is the provider's call.
        if (Option.isNone(refresh)) return current
        const app = installation.registrationId === null
          ? Option.none<AppContext>()
          : Option.some(yield* registrations.appContext(installation.tenantId, installation.registrationId))
        const refreshed = yield* Effect.result(refresh.value(current, app))
        if (Result.isSuccess(refreshed)) {
          yield* store(installation, refreshed.success)
          return refreshed.success
        }
        if (refreshed.failure.reason !== "GrantRevoked") return yield* refreshed.failure
        // The lock is per process: another instance may have spent this refresh token a moment
        // ago, which vendors answer like a revoked grant. Tokens that changed meanwhile are good.
        const latest = yield* load(installation)
        if (Redacted.value(latest.accessToken) !== Redacted.value(current.accessToken)) return latest
        // A grant the vendor no longer honours will not come back: stop using it everywhere.
        // Stryker disable next-line StringLiteral: the reason only goes to the log line
        yield* Effect.ignore(revocation.revoke(installation, "the vendor revoked the grant"))
        return yield* refreshed.failure
      })

      const expiresSoon = (tokens: TokenSet, now: number) =>
        // Stryker disable next-line ArrowFunction: undefined is as false as false
        Option.match(tokens.expiresAt, { onNone: () => false, onSome: (at) => at - REFRESH_AHEAD_MS <= now })

      const get = Effect.fn("InstallationTokens.get")(function*(installation: Installation) {
        const tokens = yield* load(installation)
        // Stryker disable next-line ConditionalExpression: a shortcut past the lock; the locked path checks again
        if (!expiresSoon(tokens, yield* Clock.currentTimeMillis)) return tokens
        // Stryker disable next-line StringLiteral: one lock for every installation would serialise more, not differently
        return yield* lockFor(`${installation.tenantId}/${installation.id}`).withPermits(1)(
          Effect.gen(function*() {
            const latest = yield* load(installation)
            return expiresSoon(latest, yield* Clock.currentTimeMillis) ? yield* refreshWith(installation, latest) : latest
          })
        )
      })

      const refreshAfterRejection = Effect.fn("InstallationTokens.refreshAfterRejection")(
        function*(installation: Installation, stale: TokenSet) {
          // Stryker disable next-line StringLiteral: one lock for every installation would serialise more, not differently
          return yield* lockFor(`${installation.tenantId}/${installation.id}`).withPermits(1)(
            Effect.gen(function*() {
              const latest = yield* load(installation)
              const replaced = Redacted.value(latest.accessToken) !== Redacted.value(stale.accessToken)
              return replaced ? latest : yield* refreshWith(installation, latest)
            })
          )
        }
      )

      return InstallationTokens.of({ get, refreshAfterRejection, store })
    })
  )
}
