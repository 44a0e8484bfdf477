/**
 * Does a comment mention the app user? Linear writes a mention three ways, depending on where
 * the comment came from: in the rich-text document (`bodyData`, whose mention node carries the
 * user's id), as a link to the user's profile (`https://linear.app/<workspace>/profiles/<handle>`)
 * or as plain `@handle` in the Markdown body. Any of them counts. The handle is the app user's
 * `displayName`, recorded at install; its full name counts too when it is a single word.
 */
import type { Installation } from "../../kernel/domain/Installation.ts"

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** The names people can type after `@` to reach the app user. */
export const handlesOf = (installation: Installation): ReadonlyArray<string> =>
  [installation.metadata["appUserDisplayName"], installation.metadata["appUserName"]]
    .filter((name): name is string => typeof name === "string" && /^[^\s@]+$/.test(name))

export const mentionsAppUser = (
  installation: Installation,
  comment: { readonly body?: string | null | undefined; readonly bodyData?: string | null | undefined }
): boolean => {
  const appUserId = installation.metadata["appUserId"]
  if (appUserId !== undefined && appUserId.length > 0 && (comment.bodyData ?? "").includes(appUserId)) return true
  const body = comment.body ?? ""
  return handlesOf(installation).some((handle) => {
    const name = escape(handle)
    const plain = new RegExp(`(^|[^\\w@./-])@${name}(?![\\w-])`, "i")
    const profile = new RegExp(`/profiles/${name}(?![\\w-])`, "i")
    return plain.test(body) || profile.test(body)
  })
}
