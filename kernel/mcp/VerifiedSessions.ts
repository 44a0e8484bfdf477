/**
 * Session tokens already verified, so an agent's every tool call does not pay for an HMAC and a
 * claims decode again. A token is immutable and its verification depends only on the signing key
 * (fixed for the process) and the clock, so a hit is checked against its expiry, through Effect's
 * Clock as `SessionTokens.verify` does, and an expired one is verified afresh (and refused). What a
 * token may reach (tenant, publication, installation, scopes) is still read per call by `Tools`.
 * Bounded: past `capacity` the oldest entry goes.
 */
import { Clock, Effect } from "effect"
import type { SessionTokenError } from "../domain/Errors.ts"
import type { SessionClaims } from "../vault/SessionTokens.ts"

export const make = (
  verify: (token: string) => Effect.Effect<SessionClaims, SessionTokenError>,
  capacity = 1024
) => {
  const verified = new Map<string, SessionClaims>()
  return (token: string): Effect.Effect<SessionClaims, SessionTokenError> =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const known = verified.get(token)
      if (known !== undefined && known.expiresAt * 1000 > now) return Effect.succeed(known)
      verified.delete(token)
      return Effect.tap(verify(token), (claims) =>
        Effect.sync(() => {
          if (verified.size >= capacity) verified.delete(verified.keys().next().value!)
          verified.set(token, claims)
        }))
    })
}

export const VerifiedSessions = { make }
