/**
 * HMAC-SHA256 on Web Crypto, for every provider's webhook signature. `crypto.subtle.verify`
 * compares in constant time, so signatures are never compared with `===`.
 */
import { Effect, Redacted } from "effect"

const encoder = new TextEncoder()

/**
 * Imported keys, per secret and usage. Secrets come from config as long-lived `Redacted` values,
 * so a weak map keeps each import for as long as the secret lives and no longer; importing on
 * every delivery was a measurable share of the webhook path.
 */
const imported = new WeakMap<Redacted.Redacted<string>, Map<"sign" | "verify", Promise<CryptoKey>>>()

const importKey = (secret: Redacted.Redacted<string>, usage: "sign" | "verify") =>
  Effect.promise(() => {
    let byUsage = imported.get(secret)
    if (byUsage === undefined) {
      byUsage = new Map()
      imported.set(secret, byUsage)
    }
    let key = byUsage.get(usage)
    if (key === undefined) {
      key = crypto.subtle.importKey("raw", encoder.encode(Redacted.value(secret)), { name: "HMAC", hash: "SHA-256" }, false, [
        usage
      ])
      byUsage.set(usage, key)
    }
    return key
  })

/** Decodes lowercase or uppercase hex; none for anything that is not an even run of hex digits. */
export const hexToBytes = (hex: string): Uint8Array | undefined => {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) return undefined
  const bytes = new Uint8Array(hex.length / 2)
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16)
  }
  return bytes
}

export const bytesToHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")

const toBytes = (message: Uint8Array | string): Uint8Array<ArrayBuffer> =>
  typeof message === "string" ? encoder.encode(message) : new Uint8Array(message)

/** True when `signatureHex` is the HMAC-SHA256 of `message` under any of `secrets` (rotation). */
export const verifyHmacSha256Hex = (
  secrets: ReadonlyArray<Redacted.Redacted<string>>,
  message: Uint8Array | string,
  signatureHex: string
): Effect.Effect<boolean> =>
  Effect.gen(function*() {
    const signature = hexToBytes(signatureHex)
    if (signature === undefined || signature.length !== 32) return false
    const data = toBytes(message)
    for (const secret of secrets) {
      const key = yield* importKey(secret, "verify")
      const valid = yield* Effect.promise(() => crypto.subtle.verify("HMAC", key, new Uint8Array(signature), data))
      if (valid) return true
    }
    return false
  })

export const signHmacSha256Hex = (
  secret: Redacted.Redacted<string>,
  message: Uint8Array | string
): Effect.Effect<string> =>
  Effect.gen(function*() {
    const key = yield* importKey(secret, "sign")
    const signature = yield* Effect.promise(() => crypto.subtle.sign("HMAC", key, toBytes(message)))
    return bytesToHex(new Uint8Array(signature))
  })
