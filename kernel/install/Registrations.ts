/**
 * Tenant-owned vendor apps. A registration is created `pending` first (so the app's webhook URL
 * can name it), then completed by a credential paste or by the vendor's manifest flow; its
 * secrets are sealed and bound to `<tenant>/<registration>`. `appContext` opens them for the
 * provider's OAuth, token refresh and webhook verification of that app.
 */
import { Clock, Context, Effect, Layer, Option, Redacted } from "effect"
import type { HttpClient } from "effect/http"
import { type AppRegistration, AppRegistrationId } from "../domain/AppRegistration.ts"
import { InstallError, type StoreError, type VaultError, WebhookRejected } from "../domain/Errors.ts"
import type { TenantId } from "../domain/Ids.ts"
import { KernelConfig } from "../KernelConfig.ts"
import type { IntegrationProvider } from "../provider/Provider.ts"
import type { AppContext, AppRegistrationMethod, AppUrls, BrowserStep, RegistrationGrant } from "../provider/Registration.ts"
import { Registry } from "../registry/Registry.ts"
import { AppRegistrationStore } from "../store/AppRegistrationStore.ts"
import { OAuthStateStore } from "../store/OAuthStateStore.ts"
import { randomToken } from "../encoding/Encoding.ts"
import { openSecretRecord, sealSecretRecord } from "../vault/SecretRecord.ts"
import { Vault } from "../vault/Vault.ts"

export type RegistrationFailure = InstallError | StoreError | VaultError

const installError = (reason: InstallError["reason"], message: string) => new InstallError({ reason, message })

export const registrationBinding = (tenantId: string, id: string) => `${tenantId}/app/${id}`

export class Registrations extends Context.Service<Registrations, {
  readonly methodOf: (providerId: string) => Effect.Effect<
    { readonly provider: IntegrationProvider; readonly method: AppRegistrationMethod },
    InstallError
  >
  readonly urlsFor: (providerId: string, id: AppRegistrationId) => AppUrls
  /** A pending registration and, when the provider has one, the manifest to paste. */
  readonly create: (
    tenantId: TenantId,
    providerId: string,
    name: string
  ) => Effect.Effect<{ readonly registration: AppRegistration; readonly urls: AppUrls }, RegistrationFailure>
  /** Completes a registration with the vendor's answer (paste or manifest conversion). */
  readonly complete: (
    registration: AppRegistration,
    grant: RegistrationGrant
  ) => Effect.Effect<AppRegistration, RegistrationFailure>
  readonly paste: (
    tenantId: TenantId,
    id: AppRegistrationId,
    fields: Readonly<Record<string, string>>
  ) => Effect.Effect<AppRegistration, RegistrationFailure, HttpClient.HttpClient>
  /** Starts the vendor's manifest flow: a pending registration and the admin's next browser step. */
  readonly startManifest: (
    tenantId: TenantId,
    providerId: string,
    options: { readonly name: string; readonly returnUrl: Option.Option<string> }
  ) => Effect.Effect<BrowserStep, RegistrationFailure>
  /** Finishes it from the vendor's callback: the app's credentials are stored. */
  readonly finishManifest: (
    providerId: string,
    query: URLSearchParams
  ) => Effect.Effect<
    { readonly registration: AppRegistration; readonly returnUrl: Option.Option<string> },
    RegistrationFailure,
    HttpClient.HttpClient
  >
  readonly appContext: (tenantId: TenantId, id: string) => Effect.Effect<AppContext, RegistrationFailure>
  /** For the webhook route: the active registration of a provider by id, any tenant. */
  readonly forWebhook: (
    providerId: string,
    id: string
  ) => Effect.Effect<Option.Option<AppContext>, StoreError | VaultError | WebhookRejected>
}>()("switchboard/install/Registrations") {
  static readonly layer = Layer.effect(
    Registrations,
    Effect.gen(function*() {
      const registry = yield* Registry
      const config = yield* KernelConfig
      const store = yield* AppRegistrationStore
      const vault = yield* Vault
      const states = yield* OAuthStateStore

      const methodOf = (providerId: string) =>
        Option.match(registry.get(providerId), {
          onNone: () => Effect.fail(installError("UnknownProvider", `No provider "${providerId}" is registered`)),
          onSome: (provider) =>
            provider.registration === undefined
              ? Effect.fail(installError("NotSupported", `${provider.displayName} has no tenant-owned apps`))
              : Effect.succeed({ provider, method: provider.registration })
        })

      const urlsFor = (providerId: string, id: AppRegistrationId): AppUrls => ({
        publicUrl: config.publicUrl,
        webhookUrl: `${config.publicUrl}/webhook/${providerId}/${id}`,
        redirectUrl: `${config.publicUrl}/install/${providerId}/callback`,
        manifestCallbackUrl: `${config.publicUrl}/install/${providerId}/app/callback`
      })

      const create = Effect.fn("Registrations.create")(function*(tenantId: TenantId, providerId: string, name: string) {
        const { provider } = yield* methodOf(providerId)
        const now = yield* Clock.currentTimeMillis
        const registration: AppRegistration = {
          id: AppRegistrationId.make(`app_${randomToken(12)}`),
          tenantId,
          providerId: provider.id,
          status: "pending",
          externalAppId: null,
          displayName: name,
          metadata: {},
          createdAt: now,
          updatedAt: now
        }
        yield* store.insert(registration)
        return { registration, urls: urlsFor(provider.id, registration.id) }
      })

      const complete = Effect.fn("Registrations.complete")(function*(registration: AppRegistration, grant: RegistrationGrant) {
        const sealed = yield* sealSecretRecord(vault, registrationBinding(registration.tenantId, registration.id), grant.secrets)
        const completed = yield* store.complete(registration.tenantId, registration.id, {
          externalAppId: grant.externalAppId,
          // The admin named the registration; the vendor's name for the app goes to metadata.
          displayName: registration.displayName,
          metadata: { ...grant.metadata, vendorName: grant.displayName },
          sealed,
          at: yield* Clock.currentTimeMillis
        })
        if (Option.isNone(completed)) return yield* installError("InvalidState", "The app registration no longer exists")
        // Stryker disable next-line StringLiteral: a log line
        yield* Effect.logInfo("app registered").pipe(
          // Stryker disable next-line ObjectLiteral: a log line's annotations
          Effect.annotateLogs({ tenantId: registration.tenantId, registrationId: registration.id, providerId: registration.providerId })
        )
        return completed.value
      })

      const paste = Effect.fn("Registrations.paste")(function*(
        tenantId: TenantId,
        id: AppRegistrationId,
        fields: Readonly<Record<string, string>>
      ) {
        const registration = yield* store.get(tenantId, id)
        if (Option.isNone(registration)) return yield* installError("InvalidState", "No such app registration")
        const { method } = yield* methodOf(registration.value.providerId)
        const missing = method.fields.filter((field) => (fields[field.name] ?? "").length === 0).map((field) => field.name)
        if (missing.length > 0) return yield* installError("InvalidCredentials", `Missing fields: ${missing.join(", ")}`)
        const grant = yield* method.validate(
          // Stryker disable next-line StringLiteral: every field is present here (checked above); `?? ""` only satisfies the types
          Object.fromEntries(method.fields.map((field) => [field.name, Redacted.make(fields[field.name] ?? "")])),
          urlsFor(registration.value.providerId, registration.value.id)
        )
        return yield* complete(registration.value, grant)
      })

      const open = (registration: AppRegistration) =>
        Effect.gen(function*() {
          const sealed = yield* store.getSecret(registration.tenantId, registration.id)
          // Stryker disable next-line ConditionalExpression: the store seals as it completes, so an active registration has secrets; a guard against a damaged row
          if (Option.isNone(sealed)) return Option.none<AppContext>()
          const secrets = yield* openSecretRecord(vault, registrationBinding(registration.tenantId, registration.id), sealed.value)
          return Option.some<AppContext>({ registration, secrets })
        })

      const appContext = Effect.fn("Registrations.appContext")(function*(tenantId: TenantId, id: string) {
        const registration = yield* store.get(tenantId, AppRegistrationId.make(id))
        if (Option.isNone(registration) || registration.value.status !== "active") {
          return yield* installError("InvalidState", "The app registration does not exist or is not complete")
        }
        const context = yield* open(registration.value)
        // Stryker disable next-line all: as above, reached only with a damaged row
        if (Option.isNone(context)) return yield* installError("InvalidState", "The app registration has no credentials")
        return context.value
      })

      const forWebhook = Effect.fn("Registrations.forWebhook")(function*(providerId: string, id: string) {
        const registration = yield* store.findById(AppRegistrationId.make(id))
        if (Option.isNone(registration) || registration.value.providerId !== providerId) return Option.none<AppContext>()
        if (registration.value.status !== "active") {
          // Vendors check the URL as soon as the app exists (Slack's url_verification), before
          // its credentials are pasted: say what is missing, as a retryable 503.
          return yield* new WebhookRejected({
            reason: "NotConfigured",
            message: "This app registration is not complete: paste the app's credentials into Switchboard, then retry"
          })
        }
        return yield* open(registration.value)
      })

      const startManifest = Effect.fn("Registrations.startManifest")(function*(
        tenantId: TenantId,
        providerId: string,
        options: { readonly name: string; readonly returnUrl: Option.Option<string> }
      ) {
        const { method } = yield* methodOf(providerId)
        if (method.manifestFlow === undefined) {
          return yield* installError("NotSupported", `${providerId} has no manifest flow; paste the app's credentials instead`)
        }
        const { registration, urls } = yield* create(tenantId, providerId, options.name)
        const state = randomToken(24)
        const now = yield* Clock.currentTimeMillis
        yield* states.insert({
          state,
          tenantId,
          providerId: registration.providerId,
          codeVerifier: null,
          returnUrl: Option.getOrNull(options.returnUrl),
          registrationId: registration.id,
          expiresAt: now + 60 * 60 * 1000,
          createdAt: now
        })
        return yield* method.manifestFlow.start({ state, name: options.name, urls })
      })

      const finishManifest = Effect.fn("Registrations.finishManifest")(function*(providerId: string, query: URLSearchParams) {
        const { method } = yield* methodOf(providerId)
        const stateParam = query.get("state")
        // Stryker disable next-line all: an absent or empty state is unknown to the store as well; this only skips the query
        const state = stateParam === null || stateParam.length === 0 ? Option.none() : yield* states.take(stateParam)
        if (Option.isNone(state) || state.value.providerId !== providerId || state.value.registrationId === null) {
          return yield* installError("InvalidState", "The app creation link is unknown or was already used")
        }
        if (state.value.expiresAt <= (yield* Clock.currentTimeMillis)) {
          return yield* installError("ExpiredState", "The app creation link has expired; start again")
        }
        const registration = yield* store.get(state.value.tenantId, AppRegistrationId.make(state.value.registrationId))
        // Stryker disable next-line ConditionalExpression: a manifest state exists only where the provider has a manifest flow; this narrows the type
        if (Option.isNone(registration) || method.manifestFlow === undefined) {
          return yield* installError("InvalidState", "The app registration no longer exists")
        }
        const grant = yield* method.manifestFlow.convert({ query })
        return { registration: yield* complete(registration.value, grant), returnUrl: Option.fromNullishOr(state.value.returnUrl) }
      })

      return Registrations.of({
        methodOf,
        urlsFor,
        create,
        complete,
        paste,
        startManifest,
        finishManifest,
        appContext,
        forWebhook
      })
    })
  )
}
