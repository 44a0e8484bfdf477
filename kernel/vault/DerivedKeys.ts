/**
 * One secret in (MCP_SIGNING_KEY), a separate key out per use: HKDF-SHA256 on Web Crypto with
 * the purpose as the `info` label. A token or signature made for one purpose is then signed with
 * a key no other purpose verifies with, so a session token cannot pass as an install ticket or a
 * dispatch signature (and the reverse) even if a claim check were missing. Derivation is cached
 * per secret and purpose: it is a pure function of both, and secrets live as long as the config.
 */
import { Redacted } from "effect"
import { utf8Encode } from "../encoding/Encoding.ts"

export type KeyPurpose = "session-token" | "install-ticket" | "dispatch-signature"

export const keyPurposes: ReadonlyArray<KeyPurpose> = ["session-token", "install-ticket", "dispatch-signature"]

/** Fixed and public, as HKDF allows: it separates Switchboard's keys from any other HKDF use of the secret. */
const SALT = utf8Encode("switchboard/derived-keys/v1")

const cache = new Map<string, Promise<Uint8Array<ArrayBuffer>>>()
/** The derivations that have finished: a signer with a synchronous HMAC then needs no promise. */
const settled = new Map<string, Uint8Array<ArrayBuffer>>()

/** The 32-byte key for `purpose`, derived from `secret`. */
export const deriveKey = (secret: Redacted.Redacted<string> | string, purpose: KeyPurpose): Promise<Uint8Array<ArrayBuffer>> => {
  const raw = typeof secret === "string" ? secret : Redacted.value(secret)
  const cacheKey = `${purpose}\u0000${raw}`
  let derived = cache.get(cacheKey)
  if (derived === undefined) {
    derived = crypto.subtle.importKey("raw", utf8Encode(raw), "HKDF", false, ["deriveBits"]).then((material) =>
      crypto.subtle.deriveBits(
        { name: "HKDF", hash: "SHA-256", salt: SALT, info: utf8Encode(`switchboard/${purpose}`) },
        material,
        256
      )
    ).then((bits) => {
      const bytes = new Uint8Array(bits)
      settled.set(cacheKey, bytes)
      return bytes
    })
    cache.set(cacheKey, derived)
  }
  return derived
}

/** `deriveKey`'s answer if it has been derived already (`undefined` until then). */
export const derivedKeyNow = (secret: Redacted.Redacted<string> | string, purpose: KeyPurpose): Uint8Array<ArrayBuffer> | undefined =>
  settled.get(`${purpose}\u0000${typeof secret === "string" ? secret : Redacted.value(secret)}`)

const hmacKeys = new Map<string, Promise<CryptoKey>>()

/** `deriveKey` imported as an HMAC-SHA256 key (sign and verify), cached likewise. */
export const deriveHmacKey = (secret: Redacted.Redacted<string> | string, purpose: KeyPurpose): Promise<CryptoKey> => {
  const raw = typeof secret === "string" ? secret : Redacted.value(secret)
  const cacheKey = `${purpose}\u0000${raw}`
  let key = hmacKeys.get(cacheKey)
  if (key === undefined) {
    key = deriveKey(raw, purpose).then((bytes) =>
      crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"])
    )
    hmacKeys.set(cacheKey, key)
  }
  return key
}
