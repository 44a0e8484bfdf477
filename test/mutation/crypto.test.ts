/**
 * HMAC-SHA256 and the derived keys, at the unit level: known answers (a key or label that changed
 * would break every stored signature and every receiver), rotation, fail-closed inputs, and the
 * caches that keep key imports off the webhook path.
 */
import { afterEach, describe, expect, it, vi } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { signHmacSha256, signHmacSha256Hex, verifyHmacSha256, verifyHmacSha256Hex } from "../../kernel/crypto/Hmac.ts"
import { hexDecode, hexEncode } from "../../kernel/encoding/Encoding.ts"
import { deriveHmacKey, deriveKey, keyPurposes } from "../../kernel/vault/DerivedKeys.ts"

// RFC 4231, test case 2.
const rfcKey = "Jefe"
const rfcData = "what do ya want for nothing?"
const rfcMac = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"

afterEach(() => {
  vi.restoreAllMocks()
})

describe("HMAC-SHA256", () => {
  it.effect("signs the RFC 4231 vector, from text and from bytes", () =>
    Effect.gen(function*() {
      const secret = Redacted.make(rfcKey)
      expect(yield* signHmacSha256Hex(secret, rfcData)).toBe(rfcMac)
      expect(hexEncode(yield* signHmacSha256(secret, new TextEncoder().encode(rfcData)))).toBe(rfcMac)
    }))

  it.effect("verifies under any configured secret (rotation) and refuses the rest", () =>
    Effect.gen(function*() {
      const right = Redacted.make(rfcKey)
      const wrong = Redacted.make("another secret")
      expect(yield* verifyHmacSha256Hex([wrong, right], rfcData, rfcMac)).toBe(true)
      expect(yield* verifyHmacSha256Hex([right], new TextEncoder().encode(rfcData), rfcMac)).toBe(true)
      expect(yield* verifyHmacSha256Hex([wrong], rfcData, rfcMac)).toBe(false)
      expect(yield* verifyHmacSha256Hex([], rfcData, rfcMac)).toBe(false)
      expect(yield* verifyHmacSha256Hex([right], `${rfcData}!`, rfcMac)).toBe(false)
    }))

  it.effect("refuses a signature that is not 32 bytes or not hex, before any key work", () =>
    Effect.gen(function*() {
      const right = Redacted.make(rfcKey)
      expect(yield* verifyHmacSha256Hex([right], rfcData, rfcMac.slice(0, 62))).toBe(false)
      expect(yield* verifyHmacSha256Hex([right], rfcData, `${rfcMac}00`)).toBe(false)
      expect(yield* verifyHmacSha256Hex([right], rfcData, `zz${rfcMac.slice(2)}`)).toBe(false)
      expect(yield* verifyHmacSha256([right], rfcData, hexDecode(rfcMac)!.slice(0, 31))).toBe(false)
      expect(yield* verifyHmacSha256([right], rfcData, hexDecode(rfcMac)!)).toBe(true)
    }))

  it.effect("imports a secret's key once per use, however many deliveries it checks", () =>
    Effect.gen(function*() {
      const importKey = vi.spyOn(crypto.subtle, "importKey")
      const secret = Redacted.make("a secret seen for the first time")
      const mac = yield* signHmacSha256Hex(secret, "body")
      yield* signHmacSha256Hex(secret, "body")
      expect(importKey).toHaveBeenCalledTimes(1)
      expect(yield* verifyHmacSha256Hex([secret], "body", mac)).toBe(true)
      expect(yield* verifyHmacSha256Hex([secret], "body", mac)).toBe(true)
      expect(importKey).toHaveBeenCalledTimes(2)
    }))
})

describe("derived keys", () => {
  it("are one per purpose: session tokens, install tickets, dispatch signatures", () => {
    expect([...keyPurposes].sort()).toEqual(["dispatch-signature", "install-ticket", "session-token"])
  })

  it("are stable: HKDF-SHA256 with Switchboard's salt and the purpose's label", async () => {
    // Pinned (checked against an independent RFC 5869 computation): a change here invalidates every minted token and every receiver's dispatch check.
    const hex = async (purpose: (typeof keyPurposes)[number]) => hexEncode(await deriveKey("s".repeat(48), purpose))
    expect(await hex("session-token")).toBe(SESSION_TOKEN_KEY)
    expect(await hex("install-ticket")).toBe(INSTALL_TICKET_KEY)
    expect(await hex("dispatch-signature")).toBe(DISPATCH_SIGNATURE_KEY)
    expect(hexEncode(await deriveKey(Redacted.make("s".repeat(48)), "session-token"))).toBe(SESSION_TOKEN_KEY)
  })

  it("are derived once per secret and purpose", async () => {
    const secret = `cached ${crypto.randomUUID()}`
    expect(deriveKey(secret, "session-token")).toBe(deriveKey(secret, "session-token"))
    expect(deriveHmacKey(secret, "install-ticket")).toBe(deriveHmacKey(Redacted.make(secret), "install-ticket"))
  })

  it("as HMAC keys: non-extractable, distinct per purpose and per secret", async () => {
    const sign = async (key: Promise<CryptoKey>) =>
      hexEncode(new Uint8Array(await crypto.subtle.sign("HMAC", await key, new TextEncoder().encode("message"))))
    const secret = Redacted.make(`one ${crypto.randomUUID()}`)
    const other = Redacted.make(`two ${crypto.randomUUID()}`)
    const session = await deriveHmacKey(secret, "session-token")
    expect(session.extractable).toBe(false)
    expect(session.usages.sort()).toEqual(["sign", "verify"])
    const signatures = new Set([
      await sign(deriveHmacKey(secret, "session-token")),
      await sign(deriveHmacKey(secret, "dispatch-signature")),
      await sign(deriveHmacKey(other, "session-token"))
    ])
    expect(signatures.size).toBe(3)
    // The HMAC key is the derived key, not the secret.
    const expected = await crypto.subtle.importKey(
      "raw",
      await deriveKey(secret, "session-token"),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"]
    )
    expect(await sign(deriveHmacKey(secret, "session-token"))).toBe(await sign(Promise.resolve(expected)))
  })
})

const SESSION_TOKEN_KEY = "400c7f102bcaa8a6ffd151a9728b9fe3c7cfabedcac09c608ab167c05e683e70"
const INSTALL_TICKET_KEY = "daa03ad3ac30d641625688e71aea0da1ab79c4479b4f780f725a94af7b26d508"
const DISPATCH_SIGNATURE_KEY = "4b7eb9bc73905544f5abe0a51ba776e58a4e7665fb88c9f2dcf92bb687b825bc"
