/**
 * Credentials as a fake vendor reads them: the bearer token or Basic pair of an
 * `Authorization` header, an OAuth client's id and secret (HTTP Basic or form fields, as
 * RFC 6749 §2.3.1 allows), and random secrets in a vendor's token format.
 */

export type Credentials =
  | { readonly _tag: "Bearer"; readonly token: string }
  | { readonly _tag: "Basic"; readonly username: string; readonly password: string }
  | { readonly _tag: "None" }

const decodeBase64 = (text: string): string | undefined => {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(text), (character) => character.charCodeAt(0)))
  } catch {
    return undefined
  }
}

/** The credentials of a request's `Authorization` header. */
export const credentialsOf = (request: Request): Credentials => {
  const header = request.headers.get("authorization") ?? ""
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (bearer?.[1] !== undefined) return { _tag: "Bearer", token: bearer[1] }
  const basic = /^Basic\s+(\S+)\s*$/i.exec(header)
  const decoded = basic?.[1] === undefined ? undefined : decodeBase64(basic[1])
  const separator = decoded?.indexOf(":") ?? -1
  return decoded !== undefined && separator > 0
    ? { _tag: "Basic", username: decoded.slice(0, separator), password: decoded.slice(separator + 1) }
    : { _tag: "None" }
}

/** The bearer token of a request, if it carries one. */
export const bearerOf = (request: Request): string | null => {
  const credentials = credentialsOf(request)
  return credentials._tag === "Bearer" ? credentials.token : null
}

export interface ClientCredentials {
  readonly id: string | null
  readonly secret: string | null
}

/** An OAuth client's credentials: HTTP Basic (form-encoded id and secret) when sent, else the form's fields. */
export const clientCredentials = (request: Request, form: URLSearchParams): ClientCredentials => {
  const basic = /^Basic\s+(.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1]
  if (basic === undefined) return { id: form.get("client_id"), secret: form.get("client_secret") }
  const decoded = decodeBase64(basic.trim())
  if (decoded === undefined) return { id: null, secret: null }
  const separator = decoded.indexOf(":")
  const unescape = (text: string) => {
    try {
      return decodeURIComponent(text)
    } catch {
      return text
    }
  }
  return separator < 0
    ? { id: unescape(decoded), secret: null }
    : { id: unescape(decoded.slice(0, separator)), secret: unescape(decoded.slice(separator + 1)) }
}

/** `prefix` and `bytes` random bytes in hex: an opaque token, code or secret. */
export const randomToken = (prefix: string, bytes = 24): string =>
  prefix + Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, "0")).join("")
