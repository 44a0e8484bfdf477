/**
 * HMAC-SHA256 on Web Crypto, for every webhook signature. `crypto.subtle.verify` compares in
 * constant time, so signatures are never compared with `===`.
 */
import { Effect, Redacted } from "effect"
import { bufferView, hexDecode, hexEncode, utf8Encode } from "../encoding/Encoding.ts"
import { NativeCrypto } from "./NativeCrypto.ts"

/**
 * Imported keys, per secret and usage. Secrets come from config as long-lived `Redacted` values,
 * so a weak map keeps each import for as long as the secret lives and no longer; importing on
 * every delivery was a measurable share of the webhook path.
 */
const imported = new WeakMap<Redacted.Redacted<string>, Map<"sign" | "verify", Promise<CryptoKey>>>()
/** The imports that have finished: a delivery then uses its key without waiting a turn for a settled promise. */
const ready = new WeakMap<Redacted.Redacted<string>, Map<"sign" | "verify", CryptoKey>>()

const importKey = (secret: Redacted.Redacted<string>, usage: "sign" | "verify"): Effect.Effect<CryptoKey> => {
  const known = ready.get(secret)?.get(usage)
  if (known !== undefined) return Effect.succeed(known)
  return Effect.promise(() => {
    let byUsage = imported.get(secret)
    if (byUsage === undefined) {
      byUsage = new Map()
      imported.set(secret, byUsage)
    }
    let key = byUsage.get(usage)
    if (key === undefined) {
      // Stryker disable next-line BooleanLiteral: the key stays in this module's cache, so nothing could export it
      key = crypto.subtle.importKey("raw", utf8Encode(Redacted.value(secret)), { name: "HMAC", hash: "SHA-256" }, false, [
        usage
      ]).then((made) => {
        let readyByUsage = ready.get(secret)
        if (readyByUsage === undefined) {
          readyByUsage = new Map()
          ready.set(secret, readyByUsage)
        }
        readyByUsage.set(usage, made)
        return made
      })
      byUsage.set(usage, key)
    }
    return key
  })
}

const toBytes = (message: Uint8Array | string): Uint8Array<ArrayBuffer> =>
  typeof message === "string" ? utf8Encode(message) : bufferView(message)

/** True when `signature` is the HMAC-SHA256 of `message` under any of `secrets` (rotation). */
export const verifyHmacSha256 = (
  secrets: ReadonlyArray<Redacted.Redacted<string>>,
  message: Uint8Array | string,
  signature: Uint8Array
): Effect.Effect<boolean> =>
  Effect.gen(function*() {
    // Stryker disable next-line ConditionalExpression: a shortcut only; Web Crypto refuses a signature of another length too
    if (signature.length !== 32) return false
    const data = toBytes(message)
    const native = yield* NativeCrypto
    if (native !== undefined) {
      // Every secret is tried, whichever matched, so the time says nothing about which did.
      let valid = false
      for (const secret of secrets) {
        if (native.timingSafeEqual(native.hmacSha256(Redacted.value(secret), data), signature)) valid = true
      }
      return valid
    }
    const expected = new Uint8Array(signature)
    for (const secret of secrets) {
      const key = yield* importKey(secret, "verify")
      const valid = yield* Effect.promise(() => crypto.subtle.verify("HMAC", key, expected, data))
      if (valid) return true
    }
    return false
  })

/** As `verifyHmacSha256`, with the signature in hex. */
export const verifyHmacSha256Hex = (
  secrets: ReadonlyArray<Redacted.Redacted<string>>,
  message: Uint8Array | string,
  signatureHex: string
): Effect.Effect<boolean> => {
  const signature = hexDecode(signatureHex)
  return signature === undefined ? Effect.succeed(false) : verifyHmacSha256(secrets, message, signature)
}

export const signHmacSha256 = (secret: Redacted.Redacted<string>, message: Uint8Array | string): Effect.Effect<Uint8Array> =>
  Effect.gen(function*() {
    const key = yield* importKey(secret, "sign")
    return new Uint8Array(yield* Effect.promise(() => crypto.subtle.sign("HMAC", key, toBytes(message))))
  })

export const signHmacSha256Hex = (secret: Redacted.Redacted<string>, message: Uint8Array | string): Effect.Effect<string> =>
  Effect.map(signHmacSha256(secret, message), hexEncode)
