/**
 * The installation's Linear app user (recorded at install): its id, to ignore what it did
 * itself, and its handles, to recognise comments that mention it.
 *
 * A Comment webhook carries the comment as Markdown only (no rich-text document), where a mention
 * picked in Linear's editor is a link to the user's profile
 * (`https://linear.app/<workspace>/profiles/<handle>`) and a typed one is plain `@handle`. Either
 * counts. The handle is the app user's `displayName`; its full name counts too when it is a single
 * word.
 */
import { Option } from "effect"
import type { Installation } from "../../../kernel/domain/Installation.ts"

/** A value, unless it is absent or empty. */
export const present = (value: string | null | undefined): Option.Option<string> =>
  Option.filter(Option.fromNullishOr(value), (text) => text.length > 0)

export const appUserIdOf = (installation: Installation): Option.Option<string> => present(installation.metadata["appUserId"])

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** The names people can type after `@` to reach the app user. */
const handlesOf = (installation: Installation): ReadonlyArray<string> =>
  [installation.metadata["appUserDisplayName"], installation.metadata["appUserName"]]
    .filter((name): name is string => typeof name === "string" && /^[^\s@]+$/.test(name))

/** How the reasons name the app user: `@switchboard`. */
export const mentionHint = (installation: Installation): string => {
  const handles = handlesOf(installation)
  return handles.length === 0 ? "no handle recorded" : handles.map((handle) => `@${handle}`).join(" or ")
}

export const mentionsAppUser = (
  installation: Installation,
  comment: { readonly body?: string | null | undefined }
): boolean => {
  const body = comment.body ?? ""
  return handlesOf(installation).some((handle) => {
    const name = escape(handle)
    const plain = new RegExp(`(^|[^\\w@./-])@${name}(?![\\w-])`, "i")
    const profile = new RegExp(`/profiles/${name}(?![\\w-])`, "i")
    return plain.test(body) || profile.test(body)
  })
}
