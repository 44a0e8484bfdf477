/**
 * The signature on every session delivery Switchboard sends to an agent platform, and the check
 * a receiver runs before trusting one:
 *
 *     switchboard-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">
 *
 * keyed with the key derived from MCP_SIGNING_KEY for dispatch signatures alone (HKDF-SHA256,
 * `kernel/vault/DerivedKeys.ts`): both sides pass the shared secret and derive the same key, and
 * neither a session token nor an install ticket is made with it. The timestamp bounds replays;
 * several `v1=` entries may appear (key rotation) and any one matching is enough. Web Crypto,
 * so a receiver on any runtime can import this file alone; a sender given a synchronous HMAC
 * (`NativeCrypto`) signs with it once the key is derived, without a promise per delivery.
 */
import { Effect, Redacted, Schema } from "effect"
import { NativeCrypto } from "../../kernel/crypto/NativeCrypto.ts"
import { hexDecode, hexEncode } from "../../kernel/encoding/Encoding.ts"
import { deriveHmacKey, derivedKeyNow } from "../../kernel/vault/DerivedKeys.ts"

export const signatureHeader = "switchboard-signature"

/** Five minutes, as Stripe and Slack do: long enough for clock skew, short enough for replays. */
export const defaultToleranceSeconds = 300

export const SessionSignatureErrorReason = Schema.Literals(["Missing", "Malformed", "StaleTimestamp", "BadSignature"])
export type SessionSignatureErrorReason = typeof SessionSignatureErrorReason.Type

export class SessionSignatureError extends Schema.TaggedError<SessionSignatureError>()("SessionSignatureError", {
  reason: SessionSignatureErrorReason,
  message: Schema.String
}) {}

const dispatchKey = (secret: Redacted.Redacted<string> | string) =>
  Effect.promise(() => deriveHmacKey(secret, "dispatch-signature"))

const signedPayload = (timestamp: number, body: string | Uint8Array): Uint8Array<ArrayBuffer> => {
  if (typeof body === "string") return new TextEncoder().encode(`${timestamp}.${body}`)
  const prefix = new TextEncoder().encode(`${timestamp}.`)
  const bodyBytes = typeof body === "string" ? new TextEncoder().encode(body) : body
  const payload = new Uint8Array(prefix.length + bodyBytes.length)
  payload.set(prefix, 0)
  payload.set(bodyBytes, prefix.length)
  return payload
}

/** The header value for `body` sent at `timestampSeconds` (unix seconds). */
export const signSession = (
  secret: Redacted.Redacted<string> | string,
  body: string | Uint8Array,
  timestampSeconds: number
): Effect.Effect<string> =>
  Effect.gen(function*() {
    const payload = signedPayload(timestampSeconds, body)
    const native = yield* NativeCrypto
    const derived = native === undefined ? undefined : derivedKeyNow(secret, "dispatch-signature")
    if (native !== undefined && derived !== undefined) {
      return `t=${timestampSeconds},v1=${hexEncode(native.hmacSha256(derived, payload))}`
    }
    const key = yield* dispatchKey(secret)
    const signature = yield* Effect.promise(() => crypto.subtle.sign("HMAC", key, payload))
    return `t=${timestampSeconds},v1=${hexEncode(new Uint8Array(signature))}`
  })

interface ParsedHeader {
  readonly timestamp: number
  readonly signatures: ReadonlyArray<string>
}

const parseHeader = (header: string): ParsedHeader | undefined => {
  let timestamp: number | undefined
  const signatures: Array<string> = []
  for (const part of header.split(",")) {
    const separator = part.indexOf("=")
    if (separator <= 0) return undefined
    const key = part.slice(0, separator).trim()
    const value = part.slice(separator + 1).trim()
    if (key === "t") {
      if (!/^\d{1,12}$/.test(value) || timestamp !== undefined) return undefined
      timestamp = Number(value)
    } else if (key === "v1") {
      signatures.push(value)
    }
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures }
}

/**
 * Checks a delivery as received: `header` is the raw `switchboard-signature` value, `body` the
 * raw request body (verify before parsing it), `now` epoch milliseconds. Fails with the reason.
 */
export const verifySessionSignature = (
  secret: Redacted.Redacted<string> | string,
  header: string | null | undefined,
  body: string | Uint8Array,
  now: number,
  toleranceSeconds: number = defaultToleranceSeconds
): Effect.Effect<void, SessionSignatureError> =>
  Effect.gen(function*() {
    if (header === null || header === undefined || header.length === 0) {
      return yield* new SessionSignatureError({ reason: "Missing", message: `No ${signatureHeader} header` })
    }
    const parsed = parseHeader(header)
    if (parsed === undefined) {
      return yield* new SessionSignatureError({ reason: "Malformed", message: `Malformed ${signatureHeader} header` })
    }
    if (Math.abs(Math.floor(now / 1000) - parsed.timestamp) > toleranceSeconds) {
      return yield* new SessionSignatureError({
        reason: "StaleTimestamp",
        message: "Signature timestamp is outside the tolerance window"
      })
    }
    const payload = signedPayload(parsed.timestamp, body)
    const key = yield* dispatchKey(secret)
    for (const signatureHex of parsed.signatures) {
      const signature = hexDecode(signatureHex)
      // `verify` compares in constant time; a signature of the wrong length cannot match.
      if (signature === undefined || signature.length !== 32) continue
      if (yield* Effect.promise(() => crypto.subtle.verify("HMAC", key, signature, payload))) return
    }
    return yield* new SessionSignatureError({ reason: "BadSignature", message: "Signature does not match" })
  })
