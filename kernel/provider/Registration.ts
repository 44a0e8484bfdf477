/**
 * Tenant-owned vendor apps (the third install question for vendors where each tenant runs its
 * own app: a GitHub App per organization, a Slack app per workspace owner). A provider that
 * supports them declares an `AppRegistrationMethod`: the fields of a credential paste, and
 * optionally a manifest to paste into the vendor's settings (Slack) or a vendor-driven
 * manifest flow (GitHub). The kernel allocates the registration id first, so the app's webhook
 * URL (`/webhook/<provider>/<registration id>`) is known before the app exists; it seals the
 * secrets and hands them back as an `AppContext` to OAuth, token refresh and webhook
 * verification of that app.
 */
import type { Effect, Redacted, Schema } from "effect"
import type { HttpClient } from "effect/http"
import type { AppRegistration } from "../domain/AppRegistration.ts"
import type { InstallError } from "../domain/Errors.ts"
import type { CredentialField } from "./Install.ts"

/** A registered app with its opened secrets, for the provider's OAuth, tokens and webhooks. */
export interface AppContext {
  readonly registration: AppRegistration
  readonly secrets: Readonly<Record<string, Redacted.Redacted<string>>>
}

/** What the vendor told us about an app (from a paste or a manifest conversion). */
export interface RegistrationGrant {
  readonly externalAppId: string
  readonly displayName: string
  /** Public facts: slug, client id, owner ... */
  readonly metadata: Readonly<Record<string, string>>
  /** Private key, webhook secret, client secret, signing secret ... (sealed by the kernel). */
  readonly secrets: Readonly<Record<string, Redacted.Redacted<string>>>
}

/** The URLs of this deployment that an app must point at. */
export interface AppUrls {
  readonly publicUrl: string
  /** `<public>/webhook/<provider>/<registration id>` */
  readonly webhookUrl: string
  /** `<public>/install/<provider>/callback`: the OAuth redirect URI */
  readonly redirectUrl: string
  /** `<public>/install/<provider>/app/callback`: where a manifest flow returns */
  readonly manifestCallbackUrl: string
}

/** A step in the admin's browser: follow a link, or submit a form (GitHub's manifest POST). */
export type BrowserStep =
  | { readonly _tag: "Redirect"; readonly url: string }
  | { readonly _tag: "FormPost"; readonly url: string; readonly fields: Readonly<Record<string, string>> }

export interface AppManifestFlow {
  readonly start: (params: { readonly state: string; readonly name: string; readonly urls: AppUrls }) => Effect.Effect<
    BrowserStep,
    InstallError
  >
  /** Turns the vendor's callback (e.g. GitHub's `code`) into the app's credentials. */
  readonly convert: (params: { readonly query: URLSearchParams }) => Effect.Effect<
    RegistrationGrant,
    InstallError,
    HttpClient.HttpClient
  >
}

export interface AppRegistrationMethod {
  /** What the admin pastes from the vendor's app settings. */
  readonly fields: ReadonlyArray<CredentialField>
  /** Checks pasted app credentials with the vendor before anything is stored. */
  readonly validate: (
    fields: Readonly<Record<string, Redacted.Redacted<string>>>,
    urls: AppUrls
  ) => Effect.Effect<RegistrationGrant, InstallError, HttpClient.HttpClient>
  /** A manifest to paste into the vendor's app settings, pointing at this deployment. */
  readonly manifest?: ((params: { readonly name: string; readonly urls: AppUrls }) => Schema.Json) | undefined
  readonly manifestFlow?: AppManifestFlow | undefined
}
