/**
 * What an install yields: the vendor's tokens (OAuth) or pasted credentials. Secrets are always
 * `Redacted` in memory and encrypted at rest (see `Vault`); they never reach an API response.
 */
import { Option, Redacted } from "effect"

export interface TokenSet {
  readonly accessToken: Redacted.Redacted<string>
  readonly refreshToken: Option.Option<Redacted.Redacted<string>>
  /** Epoch milliseconds; none for tokens that do not expire. */
  readonly expiresAt: Option.Option<number>
  readonly scopes: ReadonlyArray<string>
  /** Extra secret material some vendors need (a pasted API token, an app private key ...). */
  readonly extra: Readonly<Record<string, Redacted.Redacted<string>>>
}

/** The result of a successful OAuth callback or credential paste, before it is stored. */
export interface InstallGrant {
  readonly externalAccountId: string
  readonly displayName: string
  readonly tokens: TokenSet
  readonly metadata: Readonly<Record<string, string>>
}

export const tokenSet = (options: {
  readonly accessToken: string
  readonly refreshToken?: string | undefined
  readonly expiresInSeconds?: number | undefined
  readonly now: number
  readonly scopes: ReadonlyArray<string>
  readonly extra?: Readonly<Record<string, string>> | undefined
}): TokenSet => ({
  accessToken: Redacted.make(options.accessToken),
  refreshToken: Option.map(Option.fromNullishOr(options.refreshToken), (token) => Redacted.make(token)),
  expiresAt: Option.map(Option.fromNullishOr(options.expiresInSeconds), (seconds) => options.now + seconds * 1000),
  scopes: options.scopes,
  extra: Object.fromEntries(
    Object.entries(options.extra ?? {}).map(([key, value]) => [key, Redacted.make(value)])
  )
})
