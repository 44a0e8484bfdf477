/**
 * Small readers every provider's settings need: blank values treated as absent, base URLs
 * without a trailing slash (paths are appended), and comma-separated secret lists for rotation.
 */
import { Option, Redacted } from "effect"

/** A trimmed value, or none when it is absent or blank. */
export const nonEmpty = (value: Option.Option<string>): Option.Option<string> =>
  Option.filter(Option.map(value, (text) => text.trim()), (text) => text.length > 0)

export const withoutTrailingSlash = (url: URL): string => url.href.replace(/\/+$/, "")

/** Splits a rotation list, newest first; blank entries are dropped so a trailing comma does no harm. */
export const splitSecrets = (value: Redacted.Redacted<string>): ReadonlyArray<Redacted.Redacted<string>> =>
  Redacted.value(value).split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0).map((entry) =>
    Redacted.make(entry)
  )
