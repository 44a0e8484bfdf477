/**
 * Binds an OAuth flow to the browser that started it. The start hands that browser a random
 * secret in a cookie and uses the secret's SHA-256 as the flow's `state`; the callback hashes the
 * cookie the browser brings back and compares. Whoever holds only the consent link (so the
 * state) cannot finish the flow elsewhere: the preimage never left the starting browser. No key
 * and no extra column are needed, and a state still cannot be guessed (it hashes 32 random bytes).
 *
 * The cookie is HttpOnly, SameSite=Lax (the vendor's redirect back is a top-level GET, which Lax
 * lets through), scoped to `/install/<provider>` and Secure unless the deployment is plain HTTP
 * on a loopback address (the dev command), where a browser would drop a Secure cookie.
 */
import { Effect } from "effect"
import { base64UrlEncode, randomToken, utf8Encode } from "../encoding/Encoding.ts"

export const COOKIE_NAME = "switchboard_install"

/** A fresh secret for the starting browser's cookie. */
export const newBinding = (): string => randomToken(32)

/** The state a binding stands for: base64url(SHA-256(binding)). */
export const stateOf = (binding: string): Effect.Effect<string> =>
  Effect.promise(async () => base64UrlEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8Encode(binding)))))

/** Whether `binding` is the secret behind `state`, compared in constant time. */
export const binds = (binding: string, state: string): Effect.Effect<boolean> =>
  Effect.map(stateOf(binding), (expected) => {
    // Both are 43 characters when the state is genuine; a length mismatch reveals nothing secret.
    if (expected.length !== state.length) return false
    let difference = 0
    // Stryker disable next-line EqualityOperator: one index past the end compares NaN ^ NaN, which is 0
    for (let index = 0; index < expected.length; index++) difference |= expected.charCodeAt(index) ^ state.charCodeAt(index)
    return difference === 0
  })

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"])

/** The cookie's attributes for a provider's install path on this deployment. */
export const cookieOptions = (publicUrl: string, providerId: string) => {
  const url = new URL(publicUrl)
  const loopbackHttp = url.protocol === "http:" && (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith(".localhost"))
  const base = url.pathname.replace(/\/+$/, "")
  return {
    path: `${base}/install/${encodeURIComponent(providerId)}`,
    httpOnly: true,
    secure: !loopbackHttp,
    sameSite: "lax" as const
  }
}
