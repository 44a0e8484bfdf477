/**
 * The install half of the provider contract: OAuth (authorization code, PKCE where the vendor
 * supports it) and/or credential paste. The kernel owns state, PKCE verifiers, redirect URIs,
 * return-URL allowlists and storage; a provider only talks to its vendor.
 */
import type { Effect, Option, Redacted } from "effect"
import type { HttpClient } from "effect/http"
import type { InstallGrant, TokenSet } from "../domain/Credentials.ts"
import type { InstallError } from "../domain/Errors.ts"
import type { AppContext } from "./Registration.ts"

/**
 * Whether an install method works with this deployment's settings alone, and if not, which
 * settings it needs: what `/v1/integrations` reports so the Console offers only what can work.
 */
export interface MethodSetup {
  readonly configured: boolean
  /** The settings still to set (`JIRA_CLIENT_ID` ...); empty when configured. */
  readonly needs: ReadonlyArray<string>
}

export const configured: MethodSetup = { configured: true, needs: [] }

/** Configured when every named setting is present: `setupFrom({ JIRA_CLIENT_ID: Option.isSome(id) })`. */
export const setupFrom = (present: Readonly<Record<string, boolean>>): MethodSetup => {
  const needs = Object.entries(present).filter(([, isSet]) => !isSet).map(([name]) => name)
  return { configured: needs.length === 0, needs }
}

/** A method without a declared setup (a credential paste) needs nothing from the deployment. */
export const setupOf = (method: InstallMethod): MethodSetup => method.setup ?? configured

export interface OAuthInstall {
  readonly _tag: "OAuth"
  readonly pkce: boolean
  /**
   * Whether the deployment's own app is set up. A tenant's own app (registration) can still
   * install when it is not. Absent means configured.
   */
  readonly setup?: MethodSetup | undefined
  /** The vendor's consent page URL. `codeChallenge` is S256 and present when `pkce` is true. */
  readonly authorizationUrl: (params: {
    readonly state: string
    readonly redirectUri: string
    readonly codeChallenge: Option.Option<string>
    /** The tenant's own app, when the install is for one (else the deployment's app). */
    readonly app: Option.Option<AppContext>
  }) => Effect.Effect<string, InstallError>
  /** Trades the callback's code for tokens and finds out which workspace was connected. */
  readonly exchange: (params: {
    readonly code: string
    readonly redirectUri: string
    readonly codeVerifier: Option.Option<string>
    readonly query: URLSearchParams
    readonly app: Option.Option<AppContext>
  }) => Effect.Effect<InstallGrant, InstallError, HttpClient.HttpClient>
  /**
   * Connects an installation the vendor announced by webhook to a tenant's own app, with no
   * browser round trip (an install that an organization owner approved later). Only called for
   * webhooks signed by that tenant's app, so the tenant is known. Absent: such events are ignored.
   */
  readonly adopt?: ((params: {
    readonly externalAccountId: string
    readonly app: AppContext
  }) => Effect.Effect<InstallGrant, InstallError, HttpClient.HttpClient>) | undefined
  /**
   * Refreshes an expiring token set; none for vendors whose tokens do not expire. `app` (here and
   * below) is the tenant's own app when the installation belongs to one; the kernel always
   * passes it, absent meaning none.
   */
  readonly refresh: Option.Option<
    (tokens: TokenSet, app?: Option.Option<AppContext>) => Effect.Effect<TokenSet, InstallError, HttpClient.HttpClient>
  >
  /** Revokes the grant at the vendor on uninstall; none when the vendor has no revocation. */
  readonly revoke: Option.Option<
    (tokens: TokenSet, app?: Option.Option<AppContext>) => Effect.Effect<void, InstallError, HttpClient.HttpClient>
  >
}

export interface CredentialField {
  readonly name: string
  readonly label: string
  readonly secret: boolean
  readonly description: string
}

export interface CredentialsInstall {
  readonly _tag: "Credentials"
  /** Absent means configured: a paste usually needs nothing from the deployment. */
  readonly setup?: MethodSetup | undefined
  readonly fields: ReadonlyArray<CredentialField>
  /** Checks the pasted credentials against the vendor before anything is stored. */
  readonly validate: (
    fields: Readonly<Record<string, Redacted.Redacted<string>>>,
    app?: Option.Option<AppContext>
  ) => Effect.Effect<InstallGrant, InstallError, HttpClient.HttpClient>
}

export type InstallMethod = OAuthInstall | CredentialsInstall
