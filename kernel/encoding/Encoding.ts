/**
 * Every byte encoding Switchboard needs, in one place: base64, base64url, hex and UTF-8, over
 * `effect/encoding` (no Node Buffer, so it runs on every runtime). Decoders answer `undefined`
 * for input that is not of their alphabet, so callers map that to their own typed error.
 */
import { Result } from "effect"
import * as Base64 from "effect/encoding/Base64"
import * as Base64Url from "effect/encoding/Base64Url"
import * as Hex from "effect/encoding/Hex"

const orUndefined = (result: Result.Result<Uint8Array, unknown>): Uint8Array<ArrayBuffer> | undefined =>
  Result.isSuccess(result) ? new Uint8Array(result.success) : undefined

export const base64Encode = (input: Uint8Array | string): string => Base64.encode(input)
/** Standard alphabet; missing padding is tolerated, as secrets pasted from elsewhere often lack it. */
export const base64Decode = (text: string): Uint8Array<ArrayBuffer> | undefined =>
  orUndefined(Base64.decode(text.includes("=") ? text : text + "=".repeat((4 - (text.length % 4)) % 4)))

/** Unpadded, as JWTs and URL tokens use it. */
export const base64UrlEncode = (input: Uint8Array | string): string => Base64Url.encode(input)
export const base64UrlDecode = (text: string): Uint8Array<ArrayBuffer> | undefined =>
  /^[A-Za-z0-9_-]*$/.test(text) ? orUndefined(Base64Url.decode(text)) : undefined

export const hexEncode = (bytes: Uint8Array): string => Hex.encode(bytes)
/** Lowercase or uppercase hex; `undefined` for anything that is not a non-empty even run of hex digits. */
export const hexDecode = (hex: string): Uint8Array<ArrayBuffer> | undefined =>
  hex.length > 0 && /^[0-9a-fA-F]+$/.test(hex) ? orUndefined(Hex.decode(hex)) : undefined

/** `bytes` random bytes in standard base64, as keys in settings are written (`SWITCHBOARD_VAULT_KEYS`). */
export const randomBase64 = (bytes = 32): string => base64Encode(crypto.getRandomValues(new Uint8Array(bytes)))

/** A URL-safe random token of `bytes` random bytes. */
export const randomToken = (bytes = 32): string => base64UrlEncode(crypto.getRandomValues(new Uint8Array(bytes)))

const utf8 = new TextDecoder()
const strictUtf8 = new TextDecoder("utf-8", { fatal: true })
const encoder = new TextEncoder()

export const utf8Encode = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text)
/**
 * `undefined` when the bytes are not valid UTF-8. Decoded by the lenient decoder, which writes
 * U+FFFD for every invalid sequence: without one in the text the bytes were valid, and only a
 * text that holds one (invalid, or a U+FFFD the sender wrote) is decoded again strictly to tell.
 * Why not the strict decoder alone: on Bun the text it makes parsed and stored ~12 us slower per
 * 8 KB webhook under the bench's load, and on Deno the strict decode itself takes ~3.5 us more.
 */
export const utf8Decode = (bytes: Uint8Array): string | undefined => {
  const text = utf8.decode(bytes)
  if (!text.includes("\uFFFD")) return text
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}

/** The bytes as Web Crypto takes them: a view of the same memory when it is an ArrayBuffer's, a copy otherwise. */
export const bufferView = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes)

/** Hex SHA-256 of the bytes (Web Crypto). */
export const sha256Hex = async (bytes: Uint8Array): Promise<string> =>
  hexEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", bufferView(bytes))))
