/**
 * Installing a provider for a tenant: the OAuth start and callback (single-use expiring state
 * bound to the starting browser by a cookie, see `BrowserBinding`; PKCE S256 where the provider
 * supports it; a return-URL allowlist), credential paste
 * (validated by the provider against the vendor before anything is stored), and uninstall
 * (revocation at the vendor, installation revoked, its publications paused).
 */
import { Clock, Context, Effect, Layer, Option, Redacted } from "effect"
import type { HttpClient } from "effect/http"
import type { InstallGrant } from "../domain/Credentials.ts"
import { InstallError, type StoreError, type VaultError } from "../domain/Errors.ts"
import { InstallationId, type TenantId } from "../domain/Ids.ts"
import type { Installation } from "../domain/Installation.ts"
import { KernelConfig } from "../KernelConfig.ts"
import type { CredentialsInstall, OAuthInstall } from "../provider/Install.ts"
import type { IntegrationProvider } from "../provider/Provider.ts"
import { Registry } from "../registry/Registry.ts"
import { InstallationStore } from "../store/InstallationStore.ts"
import { OAuthStateStore } from "../store/OAuthStateStore.ts"
import { PublicationStore } from "../store/PublicationStore.ts"
import { TenantStore } from "../store/TenantStore.ts"
import { base64UrlEncode, randomToken } from "../encoding/Encoding.ts"
import { sealTokens } from "../vault/TokenCodec.ts"
import { Vault } from "../vault/Vault.ts"
import type { AppContext } from "../provider/Registration.ts"
import * as BrowserBinding from "./BrowserBinding.ts"
import { InstallationTokens } from "./InstallationTokens.ts"
import { Registrations } from "./Registrations.ts"
import { Revocation } from "./Revocation.ts"

const STATE_TTL_MS = 10 * 60 * 1000

export type InstallFailure = InstallError | StoreError | VaultError

/** A started OAuth flow: what the hand-off page names, where it continues, and the browser's cookie value. */
export interface StartedInstall {
  readonly authorizeUrl: string
  /** The secret the starting browser keeps (`BrowserBinding`); the callback requires it. */
  readonly browserBinding: string
  readonly tenantName: string
  readonly providerName: string
}

const installError = (reason: InstallError["reason"], message: string) => new InstallError({ reason, message })

const s256 = (verifier: string) =>
  Effect.promise(async () =>
    base64UrlEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))))
  )

export class Install extends Context.Service<Install, {
  readonly start: (
    tenantId: TenantId,
    providerId: string,
    options: { readonly returnUrl: Option.Option<string>; readonly registrationId: Option.Option<string> }
  ) => Effect.Effect<StartedInstall, InstallFailure>
  /** `browserBinding`: the install cookie the callback's browser sent, if any. */
  readonly callback: (
    providerId: string,
    query: URLSearchParams,
    browserBinding: Option.Option<string>
  ) => Effect.Effect<{ readonly installation: Installation; readonly returnUrl: Option.Option<string> }, InstallFailure, HttpClient.HttpClient>
  readonly paste: (
    tenantId: TenantId,
    providerId: string,
    fields: Readonly<Record<string, string>>
  ) => Effect.Effect<Installation, InstallFailure, HttpClient.HttpClient>
  readonly uninstall: (
    tenantId: TenantId,
    installationId: InstallationId
  ) => Effect.Effect<boolean, InstallFailure, HttpClient.HttpClient>
  /** Connects an installation a tenant's own app announced by webhook (see `OAuthInstall.adopt`). */
  readonly adopt: (
    app: AppContext,
    externalAccountId: string
  ) => Effect.Effect<Option.Option<Installation>, InstallFailure, HttpClient.HttpClient>
}>()("switchboard/install/Install") {
  static readonly layer = Layer.effect(
    Install,
    Effect.gen(function*() {
      const registry = yield* Registry
      const config = yield* KernelConfig
      const states = yield* OAuthStateStore
      const installations = yield* InstallationStore
      const publications = yield* PublicationStore
      const tenants = yield* TenantStore
      const vault = yield* Vault
      const tokens = yield* InstallationTokens
      const registrations = yield* Registrations
      const revocation = yield* Revocation

      /** The tenant's own app for this flow, if it names one (and the app is the provider's). */
      const appFor = (tenantId: TenantId, providerId: string, registrationId: Option.Option<string>) =>
        Option.match(registrationId, {
          onNone: () => Effect.succeed(Option.none<AppContext>()),
          onSome: (id) =>
            registrations.appContext(tenantId, id).pipe(
              Effect.flatMap((app) =>
                app.registration.providerId === providerId
                  ? Effect.succeed(Option.some(app))
                  : Effect.fail(installError("InvalidState", "The app registration belongs to another provider"))
              )
            )
        })

      const providerOf = (providerId: string) =>
        Option.match(registry.get(providerId), {
          onNone: () => Effect.fail(installError("UnknownProvider", `No provider "${providerId}" is registered`)),
          onSome: Effect.succeed
        })

      const methodOf = <T extends "OAuth" | "Credentials">(provider: IntegrationProvider, tag: T) => {
        const method = provider.install.find((candidate): candidate is Extract<OAuthInstall | CredentialsInstall, { _tag: T }> =>
          candidate._tag === tag
        )
        return method === undefined
          ? Effect.fail(installError("NotSupported", `${provider.displayName} does not install by ${tag === "OAuth" ? "OAuth" : "credential paste"}`))
          : Effect.succeed(method)
      }

      const redirectUri = (providerId: string) => `${config.publicUrl}/install/${providerId}/callback`

      const checkReturnUrl = (returnUrl: string) => {
        const origin = URL.canParse(returnUrl) ? Option.some(new URL(returnUrl).origin) : Option.none<string>()
        return Option.exists(origin, (candidate) => config.returnUrlOrigins.includes(candidate))
          ? Effect.succeed(returnUrl)
          : Effect.fail(installError(
            "ReturnUrlNotAllowed",
            // Named value and variables: the person reading it is the one who can fix the setting.
            `The return URL's origin is not on the allowlist: ${Option.getOrElse(origin, () => JSON.stringify(returnUrl))} is neither SWITCHBOARD_PUBLIC_URL's origin (${
              config.returnUrlOrigins[0] ?? "unset"
            }) nor listed in SWITCHBOARD_RETURN_URLS${
              config.returnUrlOrigins.length > 1 ? ` (${config.returnUrlOrigins.slice(1).join(", ")})` : ""
            }`
          ))
      }

      const saveGrant = Effect.fnUntraced(function*(
        tenantId: TenantId,
        provider: IntegrationProvider,
        grant: InstallGrant,
        app: Option.Option<AppContext>
      ) {
        const now = yield* Clock.currentTimeMillis
        const existing = (yield* installations.findByAccount(provider.id, grant.externalAccountId)).find((candidate) =>
          candidate.tenantId === tenantId
        )
        const installation: Installation = {
          id: existing?.id ?? InstallationId.make(`ins_${randomToken(12)}`),
          tenantId,
          providerId: provider.id,
          externalAccountId: grant.externalAccountId,
          displayName: grant.displayName,
          status: "active",
          registrationId: Option.match(app, { onNone: () => null, onSome: (context) => context.registration.id }),
          grantedScopes: grant.tokens.scopes,
          metadata: grant.metadata,
          createdAt: existing?.createdAt ?? now,
          updatedAt: now
        }
        const sealed = yield* sealTokens(vault, tenantId, installation.id, grant.tokens)
        const stored = yield* installations.upsert(installation, { sealed, expiresAt: Option.getOrNull(grant.tokens.expiresAt) })
        // A reinstall brings paused publications back; the installation is active again.
        if (existing !== undefined && existing.status === "revoked") {
          yield* publications.setStatusByInstallation(tenantId, stored.id, "active", now)
        }
        // Stryker disable next-line StringLiteral: a log line
        yield* Effect.logInfo("installation saved").pipe(
          // Stryker disable next-line ObjectLiteral: a log line's annotations
          Effect.annotateLogs({ tenantId, providerId: provider.id, installationId: stored.id })
        )
        return stored
      })

      const start = Effect.fn("Install.start")(function*(
        tenantId: TenantId,
        providerId: string,
        options: { readonly returnUrl: Option.Option<string>; readonly registrationId: Option.Option<string> }
      ) {
        const provider = yield* providerOf(providerId)
        const oauth = yield* methodOf(provider, "OAuth")
        const returnUrl = options.returnUrl
        const app = yield* appFor(tenantId, provider.id, options.registrationId)
        const allowedReturn = Option.isSome(returnUrl) ? Option.some(yield* checkReturnUrl(returnUrl.value)) : Option.none()
        const browserBinding = BrowserBinding.newBinding()
        const state = yield* BrowserBinding.stateOf(browserBinding)
        const verifier = oauth.pkce ? Option.some(randomToken(48)) : Option.none<string>()
        const challenge = Option.isSome(verifier) ? Option.some(yield* s256(verifier.value)) : Option.none<string>()
        const now = yield* Clock.currentTimeMillis
        // Abandoned flows would otherwise stay forever; each start sweeps the expired ones.
        yield* states.deleteExpired(now)
        yield* states.insert({
          state,
          tenantId,
          providerId: provider.id,
          codeVerifier: Option.getOrNull(verifier),
          returnUrl: Option.getOrNull(allowedReturn),
          registrationId: Option.getOrNull(options.registrationId),
          expiresAt: now + STATE_TTL_MS,
          createdAt: now
        })
        const authorizeUrl = yield* oauth.authorizationUrl({ state, redirectUri: redirectUri(provider.id), codeChallenge: challenge, app })
        const tenant = yield* tenants.getTenant(tenantId)
        const tenantName = Option.match(tenant, { onNone: () => tenantId, onSome: (found) => found.name })
        return { authorizeUrl, browserBinding, tenantName, providerName: provider.displayName }
      })

      const callback = Effect.fn("Install.callback")(function*(
        providerId: string,
        query: URLSearchParams,
        browserBinding: Option.Option<string>
      ) {
        const provider = yield* providerOf(providerId)
        const oauth = yield* methodOf(provider, "OAuth")
        const vendorError = query.get("error")
        const stateParam = query.get("state")
        if (stateParam === null || stateParam.length === 0) {
          return yield* installError("InvalidState", "The callback has no state")
        }
        // Checked before the state is taken: a callback from the wrong browser leaves the flow intact.
        if (Option.isNone(browserBinding)) {
          return yield* installError(
            "BrowserMismatch",
            "This install was started in another browser (or its install cookie was lost); start it again from this browser"
          )
        }
        if (!(yield* BrowserBinding.binds(browserBinding.value, stateParam))) {
          return yield* installError(
            "BrowserMismatch",
            "This browser started a different install; start this one again from the browser that will approve it"
          )
        }
        // Taking the state deletes it, so a replayed callback fails even if the first one did.
        const state = yield* states.take(stateParam)
        if (Option.isNone(state) || state.value.providerId !== provider.id) {
          return yield* installError("InvalidState", "The install link is unknown or was already used")
        }
        if (state.value.expiresAt <= (yield* Clock.currentTimeMillis)) {
          return yield* installError("ExpiredState", "The install link has expired; start again")
        }
        if (vendorError !== null) {
          return yield* installError("VendorRejected", `${provider.displayName} declined the install: ${vendorError}`)
        }
        // Some vendors call back without a code (GitHub's installation flow sends installation_id):
        // the provider's exchange reads what it needs from the query.
        const code = query.get("code") ?? ""
        const app = yield* appFor(state.value.tenantId, provider.id, Option.fromNullishOr(state.value.registrationId))
        const grant = yield* oauth.exchange({
          code,
          redirectUri: redirectUri(provider.id),
          codeVerifier: Option.fromNullishOr(state.value.codeVerifier),
          query,
          app
        })
        const installation = yield* saveGrant(state.value.tenantId, provider, grant, app)
        return { installation, returnUrl: Option.fromNullishOr(state.value.returnUrl) }
      })

      const paste = Effect.fn("Install.paste")(function*(tenantId: TenantId, providerId: string, fields: Readonly<Record<string, string>>) {
        const provider = yield* providerOf(providerId)
        const method = yield* methodOf(provider, "Credentials")
        const missing = method.fields.filter((field) => (fields[field.name] ?? "").length === 0).map((field) => field.name)
        if (missing.length > 0) {
          return yield* installError("InvalidCredentials", `Missing fields: ${missing.join(", ")}`)
        }
        const grant = yield* method.validate(
          // Stryker disable next-line StringLiteral: every field is present here (checked above); `?? ""` only satisfies the types
          Object.fromEntries(method.fields.map((field) => [field.name, Redacted.make(fields[field.name] ?? "")])),
          Option.none()
        )
        return yield* saveGrant(tenantId, provider, grant, Option.none())
      })

      const uninstall = Effect.fn("Install.uninstall")(function*(tenantId: TenantId, installationId: InstallationId) {
        const installation = yield* installations.get(tenantId, installationId)
        if (Option.isNone(installation)) return false
        const provider = registry.get(installation.value.providerId)
        const revoke = Option.flatMap(provider, (found) =>
          Option.flatMap(
            Option.fromNullishOr(found.install.find((method): method is OAuthInstall => method._tag === "OAuth")),
            (oauth) => oauth.revoke
          ))
        if (Option.isSome(revoke) && installation.value.status === "active") {
          // Revocation at the vendor is best effort: the installation is revoked here regardless.
          const app = installation.value.registrationId === null
            ? Option.none<AppContext>()
            : yield* Effect.option(registrations.appContext(tenantId, installation.value.registrationId))
          yield* tokens.get(installation.value).pipe(
            Effect.flatMap((current) => revoke.value(current, app)),
            // Stryker disable next-line StringLiteral: a log line
            Effect.catch((error) => Effect.logWarning("vendor revocation failed", error.message))
          )
        }
        // Stryker disable next-line StringLiteral: the reason only goes to the log line
        yield* revocation.revoke(installation.value, "uninstalled")
        return true
      })

      const adopt = Effect.fn("Install.adopt")(function*(app: AppContext, externalAccountId: string) {
        const provider = yield* providerOf(app.registration.providerId)
        const oauth = provider.install.find((method): method is OAuthInstall => method._tag === "OAuth")
        if (oauth?.adopt === undefined) return Option.none<Installation>()
        const grant = yield* oauth.adopt({ externalAccountId, app })
        return Option.some(yield* saveGrant(app.registration.tenantId, provider, grant, Option.some(app)))
      })

      return Install.of({ start, callback, paste, adopt, uninstall })
    })
  )
}

