/**
 * MCP session tokens: short-lived JWTs (HS256, jose) minted at dispatch and signed with the
 * key derived from MCP_SIGNING_KEY for this purpose alone (`DerivedKeys`). They name the tenant,
 * publication, installation, session and scopes; the MCP endpoint trusts nothing else about the
 * caller. The audience is fixed as well, a second fence should a key ever be shared.
 *
 * A token is minted per delivery: with a synchronous HMAC (`NativeCrypto`) and the key derived
 * (after the first token), it is written here, the very bytes jose writes (a test holds the two
 * together), in a tenth of jose's time and without a promise; otherwise by jose. Verified by jose.
 */
import { Clock, Context, Effect, Layer, Redacted, Schema } from "effect"
import { jwtVerify, SignJWT } from "jose"
import { NativeCrypto, type NativeCryptoImpl } from "../crypto/NativeCrypto.ts"
import { SessionTokenError } from "../domain/Errors.ts"
import { InstallationId, PublicationId, TenantId } from "../domain/Ids.ts"
import { KernelConfig } from "../KernelConfig.ts"
import { base64UrlEncode, utf8Encode } from "../encoding/Encoding.ts"
import { deriveHmacKey, derivedKeyNow } from "./DerivedKeys.ts"

const AUDIENCE = "switchboard:mcp"
const DEFAULT_TTL_SECONDS = 60 * 60

export interface SessionClaims {
  readonly tenantId: TenantId
  readonly publicationId: PublicationId
  readonly installationId: InstallationId
  readonly sessionKey: string
  readonly scopes: ReadonlyArray<string>
  /** Epoch seconds. */
  readonly expiresAt: number
}

const JwtPayload = Schema.Struct({
  ten: TenantId,
  pub: PublicationId,
  ins: InstallationId,
  ses: Schema.String,
  scp: Schema.Array(Schema.String),
  exp: Schema.Number
})
const decodePayload = Schema.decodeUnknownEffect(JwtPayload)

/** The claims as jose writes them: the private ones, then iss, aud, iat and exp in the order they are set. */
interface Payload {
  readonly ten: string
  readonly pub: string
  readonly ins: string
  readonly ses: string
  readonly scp: ReadonlyArray<string>
  readonly iss: string
  readonly aud: string
  readonly iat: number
  readonly exp: number
}

const HEADER = base64UrlEncode(JSON.stringify({ alg: "HS256", typ: "JWT" }))

/** A compact HS256 JWT (RFC 7515), signed in place. */
const signCompact = (native: NativeCryptoImpl, key: Uint8Array, payload: Payload): string => {
  const signingInput = `${HEADER}.${base64UrlEncode(JSON.stringify(payload))}`
  return `${signingInput}.${base64UrlEncode(native.hmacSha256(key, utf8Encode(signingInput)))}`
}

export class SessionTokens extends Context.Service<SessionTokens, {
  readonly mint: (
    claims: Omit<SessionClaims, "expiresAt">,
    ttlSeconds?: number
  ) => Effect.Effect<{ readonly token: string; readonly expiresAt: number }>
  readonly verify: (token: string) => Effect.Effect<SessionClaims, SessionTokenError>
}>()("switchboard/vault/SessionTokens") {
  static readonly make = (signingKey: Redacted.Redacted<string>, issuer: string): SessionTokens["Service"] => {
    // A CryptoKey, imported once: given the raw bytes, jose imports them again on every sign and
    // verify, which was a measurable share of each dispatch (a token per delivery). Derived on
    // first use, not at start (about 1.5 ms of a Bun start), and kept by `DerivedKeys`' cache.
    const key = () => deriveHmacKey(signingKey, "session-token")
    return SessionTokens.of({
      mint: (claims, ttlSeconds = DEFAULT_TTL_SECONDS) =>
        Effect.gen(function*() {
          const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
          const expiresAt = now + ttlSeconds
          const native = yield* NativeCrypto
          const derived = native === undefined ? undefined : derivedKeyNow(signingKey, "session-token")
          if (native !== undefined && derived !== undefined) {
            const token = signCompact(native, derived, {
              ten: claims.tenantId,
              pub: claims.publicationId,
              ins: claims.installationId,
              ses: claims.sessionKey,
              scp: [...claims.scopes],
              iss: issuer,
              aud: AUDIENCE,
              iat: now,
              exp: expiresAt
            })
            return { token, expiresAt: expiresAt * 1000 }
          }
          const token = yield* Effect.promise(async () =>
            new SignJWT({
              ten: claims.tenantId,
              pub: claims.publicationId,
              ins: claims.installationId,
              ses: claims.sessionKey,
              scp: [...claims.scopes]
            })
              .setProtectedHeader({ alg: "HS256", typ: "JWT" })
              .setIssuer(issuer)
              .setAudience(AUDIENCE)
              .setIssuedAt(now)
              .setExpirationTime(expiresAt)
              .sign(await key())
          )
          return { token, expiresAt: expiresAt * 1000 }
        }),
      verify: (token) =>
        Effect.gen(function*() {
          const nowSeconds = Math.floor((yield* Clock.currentTimeMillis) / 1000)
          const verified = yield* Effect.tryPromise({
            try: async () =>
              jwtVerify(token, await key(), {
                algorithms: ["HS256"],
                audience: AUDIENCE,
                issuer,
                currentDate: new Date(nowSeconds * 1000)
              }),
            catch: (error) =>
              // Stryker disable next-line ConditionalExpression,LogicalOperator: jose throws only its own errors, all Errors with a code
              error instanceof Error && "code" in error && error.code === "ERR_JWT_EXPIRED"
                ? new SessionTokenError({ reason: "Expired", message: "The session token has expired" })
                : new SessionTokenError({ reason: "Invalid", message: "The session token is not valid" })
          })
          const payload = yield* decodePayload(verified.payload).pipe(
            Effect.mapError(() => new SessionTokenError({ reason: "Invalid", message: "The session token is not valid" }))
          )
          return {
            tenantId: payload.ten,
            publicationId: payload.pub,
            installationId: payload.ins,
            sessionKey: payload.ses,
            scopes: payload.scp,
            expiresAt: payload.exp
          }
        })
    })
  }

  static readonly layer = Layer.effect(
    SessionTokens,
    Effect.gen(function*() {
      const config = yield* KernelConfig
      return SessionTokens.make(config.signingKey, config.publicUrl)
    })
  )
}
