/**
 * The decrypted tokens of an installation, refreshed ahead of expiry and on demand. Refreshes
 * are single flight per installation, across every instance sharing the database: callers in
 * one process queue on a semaphore; then a caller claims the refresh of the secret's version in
 * the store (`InstallationStore.claimRefresh`, a compare and swap). The one that wins calls the
 * vendor and stores the new tokens only over the version it claimed; the others poll the store
 * until the version moves and use the winner's tokens. A rotating refresh token is spent once,
 * and a winner that dies leaves a claim that ends after `REFRESH_CLAIM_MS`.
 */
import { Clock, Context, Effect, Layer, Option, Redacted, Result, Semaphore } from "effect"
import type { HttpClient } from "effect/http"
import type { TokenSet } from "../domain/Credentials.ts"
import { InstallError, type StoreError, type VaultError } from "../domain/Errors.ts"
import type { Installation } from "../domain/Installation.ts"
import type { OAuthInstall } from "../provider/Install.ts"
import { Registry } from "../registry/Registry.ts"
import { InstallationStore } from "../store/InstallationStore.ts"
import type { VersionedSecret } from "../store/InstallationStore.ts"
import type { Sealed } from "../store/Sealed.ts"
import type { AppContext } from "../provider/Registration.ts"
import { Registrations } from "./Registrations.ts"
import { Revocation } from "./Revocation.ts"
import { openTokens, sealTokens } from "../vault/TokenCodec.ts"
import { Vault } from "../vault/Vault.ts"
import * as Metrics from "../observability/Metrics.ts"
import { spanWhenTraced } from "../observability/Spans.ts"

/** Refresh this long before expiry, so a token never expires in the middle of a tool call. */
const REFRESH_AHEAD_MS = 60_000
/** A refresh claim lasts this long: past a vendor's slowest refresh, short enough to recover a dead winner. */
export const REFRESH_CLAIM_MS = 15_000
/** How often a caller that lost the claim looks for the winner's tokens. */
const WAIT_STEP_MS = 50
/** A caller gives up waiting after this long (two claims' worth: a dead winner, then a slow one). */
const WAIT_LIMIT_MS = 2 * REFRESH_CLAIM_MS + 5_000

export type TokenFailure = InstallError | StoreError | VaultError

export class InstallationTokens extends Context.Service<InstallationTokens, {
  /**
   * Current tokens, refreshed first when they expire within a minute. `stored`: the secret as the
   * caller just read it with the installation (`PublicationStore.sessionReach`), saving a read.
   */
  readonly get: (
    installation: Installation,
    stored?: Option.Option<VersionedSecret>
  ) => Effect.Effect<TokenSet, TokenFailure, HttpClient.HttpClient>
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

      // The last tokens opened per installation, with the sealed text they came from: a tool call
      // still reads the stored secret each time (a refresh elsewhere changes it), but skips the
      // AES-GCM open and the decode when that text is the one already opened (same key id, same
      // ciphertext and IV under the same row binding open to the same tokens). Bounded: past
      // `openedCapacity` installations the oldest entry goes.
      const opened = new Map<string, { readonly sealed: Sealed; readonly tokens: TokenSet }>()
      const openedCapacity = 1024

      const openVersioned = Effect.fnUntraced(function*(installation: Installation, secret: Option.Option<VersionedSecret>) {
        if (Option.isNone(secret)) {
          return yield* new InstallError({ reason: "InvalidCredentials", message: "The installation has no stored credentials" })
        }
        const sealed = secret.value.sealed
        const key = `${installation.tenantId}/${installation.id}`
        const known = opened.get(key)
        if (known !== undefined && known.sealed.keyId === sealed.keyId && known.sealed.ciphertext === sealed.ciphertext) {
          return { tokens: known.tokens, version: secret.value.version }
        }
        const tokens = yield* openTokens(vault, installation.tenantId, installation.id, sealed)
        opened.delete(key)
        if (opened.size >= openedCapacity) opened.delete(opened.keys().next().value!)
        opened.set(key, { sealed, tokens })
        return { tokens, version: secret.value.version }
      })

      const loadVersioned = (installation: Installation) =>
        Effect.flatMap(
          installations.getVersionedSecret(installation.tenantId, installation.id),
          (secret) => openVersioned(installation, secret)
        )

      const load = (installation: Installation) => Effect.map(loadVersioned(installation), ({ tokens }) => tokens)

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

      /** Calls the vendor under a claim on `version`, and stores the result over that version only. */
      const refreshWith = Effect.fnUntraced(function*(installation: Installation, current: TokenSet, version: number) {
        const refresh = Option.flatMap(oauthOf(installation), (oauth) => oauth.refresh)
        // Whether a refresh is possible (a refresh token, an app key) is the provider's call.
        // Stryker disable next-line ConditionalExpression: refreshShared checks the same before it claims; this narrows the type
        if (Option.isNone(refresh)) return current
        const app = installation.registrationId === null
          ? Option.none<AppContext>()
          : Option.some(yield* registrations.appContext(installation.tenantId, installation.registrationId))
        const refreshed = yield* Effect.result(refresh.value(current, app))
        yield* Metrics.count(Metrics.tokenRefreshes, {
          provider: installation.providerId,
          outcome: Result.isSuccess(refreshed) ? "ok" : "failed"
        })
        if (Result.isSuccess(refreshed)) {
          const sealed = yield* sealTokens(vault, installation.tenantId, installation.id, refreshed.success)
          const swapped = yield* installations.setSecretIfVersion(
            installation.tenantId,
            installation.id,
            { sealed, expiresAt: Option.getOrNull(refreshed.success.expiresAt) },
            version,
            yield* Clock.currentTimeMillis
          )
          // Another write came first (a reinstall): its tokens are the ones to use.
          return swapped ? refreshed.success : yield* load(installation)
        }
        if (refreshed.failure.reason !== "GrantRevoked") return yield* refreshed.failure
        // A claim that outlived its holder's lease, or a store written outside the claim, can
        // still mean another caller spent this refresh token, which vendors answer like a revoked
        // grant. Tokens that changed meanwhile are good.
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

      /**
       * Returns the stored tokens once `needsRefresh` no longer holds for them, refreshing them
       * itself if it wins the claim, else waiting for the caller (maybe on another instance) that
       * did. A failed refresh gives the claim back, so a waiting caller tries in its turn.
       */
      const refreshShared = (installation: Installation, needsRefresh: (tokens: TokenSet, now: number) => boolean) =>
        // Stryker disable next-line StringLiteral: one lock for every installation would serialise more, not differently
        lockFor(`${installation.tenantId}/${installation.id}`).withPermits(1)(Effect.gen(function*() {
          const started = yield* Clock.currentTimeMillis
          while (true) {
            const current = yield* loadVersioned(installation)
            const now = yield* Clock.currentTimeMillis
            if (!needsRefresh(current.tokens, now)) return current.tokens
            // Nothing to claim when the provider cannot refresh (no refresh token, no app key).
            if (Option.isNone(Option.flatMap(oauthOf(installation), (oauth) => oauth.refresh))) return current.tokens
            const won = yield* installations.claimRefresh(
              installation.tenantId,
              installation.id,
              current.version,
              now,
              now + REFRESH_CLAIM_MS
            )
            if (won) {
              return yield* refreshWith(installation, current.tokens, current.version).pipe(
                Effect.onError(() => Effect.ignore(installations.releaseRefresh(installation.tenantId, installation.id, current.version)))
              )
            }
            if (now - started > WAIT_LIMIT_MS) {
              return yield* new InstallError({
                reason: "VendorUnavailable",
                message: "Another instance's token refresh did not finish in time; try again"
              })
            }
            yield* Effect.sleep(WAIT_STEP_MS)
          }
        }))

      // On every tool call: its span only when tracing (`spanWhenTraced`).
      const get = Effect.fnUntraced(function*(installation: Installation, stored?: Option.Option<VersionedSecret>) {
        const tokens = stored === undefined
          ? yield* load(installation)
          : (yield* openVersioned(installation, stored)).tokens
        // Stryker disable next-line ConditionalExpression: a shortcut past the lock; the locked path checks again
        if (!expiresSoon(tokens, yield* Clock.currentTimeMillis)) return tokens
        return yield* refreshShared(installation, expiresSoon)
      }, spanWhenTraced("InstallationTokens.get"))

      const refreshAfterRejection = Effect.fn("InstallationTokens.refreshAfterRejection")(
        function*(installation: Installation, stale: TokenSet) {
          return yield* refreshShared(
            installation,
            (latest) => Redacted.value(latest.accessToken) === Redacted.value(stale.accessToken)
          )
        }
      )

      return InstallationTokens.of({ get, refreshAfterRejection, store })
    })
  )
}
