/**
 * Small readers every provider's settings need: blank values treated as absent, base URLs
 * without a trailing slash (paths are appended), and comma-separated secret lists for rotation.
 */
import { Config, Option, Redacted } from "effect"

/** A trimmed value, or none when it is absent or blank. */
export const nonEmpty = (value: Option.Option<string>): Option.Option<string> =>
  Option.filter(Option.map(value, (text) => text.trim()), (text) => text.length > 0)

export const withoutTrailingSlash = (url: URL): string => url.href.replace(/\/+$/, "")

/** Splits a rotation list, newest first; blank entries are dropped so a trailing comma does no harm. */
export const splitSecrets = (value: Redacted.Redacted<string>): ReadonlyArray<Redacted.Redacted<string>> =>
  Redacted.value(value).split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0).map((entry) =>
    Redacted.make(entry)
  )

/**
 * Config readers for a provider's settings, so every provider loads them the same way: blank
 * counts as absent, base URLs lose their trailing slash, secrets stay `Redacted`. A provider's
 * settings are one `Config.all({...})` of these; none of them fails on a missing variable, so a
 * deployment that has not set a provider up still lists it.
 */
export const text = (name: string): Config.Config<Option.Option<string>> =>
  Config.map(Config.option(Config.String(name)), nonEmpty)

export const secret = (name: string): Config.Config<Option.Option<Redacted.Redacted<string>>> =>
  Config.map(
    Config.option(Config.Redacted(name)),
    (value) => Option.filter(value, (redacted) => Redacted.value(redacted).trim().length > 0)
  )

/** A comma-separated rotation list, newest first; empty when unset. */
export const secrets = (name: string): Config.Config<ReadonlyArray<Redacted.Redacted<string>>> =>
  Config.map(secret(name), Option.match({ onNone: () => [], onSome: splitSecrets }))

/** An origin or base URL without a trailing slash, so paths can be appended. */
export const baseUrl = (name: string, fallback: string): Config.Config<string> =>
  Config.map(Config.URL(name).pipe(Config.withDefault(new URL(fallback))), withoutTrailingSlash)

/** A comma-separated list of plain values (trimmed, blanks dropped). */
export const list = (name: string, fallback: string): Config.Config<ReadonlyArray<string>> =>
  Config.map(
    Config.String(name).pipe(Config.withDefault(fallback)),
    (value) => value.split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0)
  )

export interface OAuthClient {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
}

/** `<PREFIX>_CLIENT_ID` and `<PREFIX>_CLIENT_SECRET`, present only when both are. */
export const oauthClient = (prefix: string): Config.Config<Option.Option<OAuthClient>> =>
  Config.map(
    Config.all({ clientId: text(`${prefix}_CLIENT_ID`), clientSecret: secret(`${prefix}_CLIENT_SECRET`) }),
    ({ clientId, clientSecret }) => Option.zipWith(clientId, clientSecret, (id, value) => ({ clientId: id, clientSecret: value }))
  )
