/**
 * Declared signature schemes, verified by the kernel: hex and base64, a prefix, a signed
 * template, rotation, fail-closed without a secret, and timestamp windows from a header or a
 * body field (checked after the one parse, so a stale body is refused before anything is stored).
 */
import { Effect, Exit, Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { signHmacSha256 } from "../../../kernel/crypto/Hmac.ts"
import { base64Encode, hexEncode, utf8Encode } from "../../../kernel/encoding/Encoding.ts"
import { hmacSha256, type HmacSha256Scheme } from "../../../kernel/provider/Signature.ts"
import { checkBodyTimestamp, verifySignature } from "../../../kernel/webhooks/VerifySignature.ts"

const NOW = 1_800_000_000_000
const secret = (value: string) => Redacted.make(value)

const scheme = (overrides: Partial<HmacSha256Scheme> = {}): HmacSha256Scheme =>
  hmacSha256({
    header: "x-signature",
    prefix: "sha256=",
    secrets: () => [secret("new"), secret("old")],
    notConfigured: "set ACME_WEBHOOK_SECRET",
    ...overrides
  })

const sign = async (key: string, message: string) => Effect.runPromise(signHmacSha256(secret(key), message))

const raw = (body: string, headers: Record<string, string>) => ({ headers: new Headers(headers), body: utf8Encode(body), receivedAt: NOW })

const outcome = async (effect: Effect.Effect<void, { readonly reason: string; readonly message: string }>) => {
  const exit = await Effect.runPromiseExit(effect)
  const error = Exit.findErrorOption(exit)
  return Option.isSome(error) ? error.value.reason : "passed"
}

describe("declared HMAC-SHA256 signatures", () => {
  const body = "{\"hello\":\"world\"}"

  it("accepts hex under the newest or an older secret, after the prefix", async () => {
    for (const key of ["new", "old"]) {
      const header = `sha256=${hexEncode(await sign(key, body))}`
      expect(await outcome(verifySignature(scheme(), raw(body, { "x-signature": header }), Option.none()))).toBe("passed")
    }
  })

  it("accepts base64 when declared", async () => {
    const header = base64Encode(await sign("new", body))
    const base64 = scheme({ prefix: undefined, encoding: "base64" })
    expect(await outcome(verifySignature(base64, raw(body, { "x-signature": header }), Option.none()))).toBe("passed")
  })

  it("refuses a wrong secret, a tampered body, a missing or unprefixed header, and a truncated signature", async () => {
    const good = hexEncode(await sign("new", body))
    const cases: Array<[string, Record<string, string>]> = [
      [body, { "x-signature": `sha256=${hexEncode(await sign("nope", body))}` }],
      [`${body} `, { "x-signature": `sha256=${good}` }],
      [body, {}],
      [body, { "x-signature": good }],
      [body, { "x-signature": `sha256=${good.slice(0, 40)}` }],
      [body, { "x-signature": "sha256=" }]
    ]
    for (const [text, headers] of cases) {
      expect(await outcome(verifySignature(scheme(), raw(text, headers), Option.none()))).toBe("BadSignature")
    }
  })

  it("fails closed without a secret, blank secrets included", async () => {
    const header = `sha256=${hexEncode(await sign("new", body))}`
    for (const secrets of [[], [secret("")]]) {
      const none = scheme({ secrets: () => secrets })
      expect(await outcome(verifySignature(none, raw(body, { "x-signature": header }), Option.none()))).toBe("NotConfigured")
    }
  })

  it("signs a template with the timestamp header and enforces its window both ways", async () => {
    const slackLike = scheme({
      header: "x-sig",
      prefix: "v0=",
      signs: "v0:{timestamp}:{body}",
      timestamp: { from: { header: "x-ts" }, unit: "seconds", maxAgeMs: 300_000 }
    })
    const at = async (seconds: number) => {
      const ts = String(seconds)
      const header = `v0=${hexEncode(await sign("new", `v0:${ts}:${body}`))}`
      return outcome(verifySignature(slackLike, raw(body, { "x-sig": header, "x-ts": ts }), Option.none()))
    }
    expect(await at(NOW / 1000 - 299)).toBe("passed")
    expect(await at(NOW / 1000 - 301)).toBe("StaleTimestamp")
    expect(await at(NOW / 1000 + 301)).toBe("StaleTimestamp")
    // The timestamp is signed: moving it breaks the signature.
    const header = `v0=${hexEncode(await sign("new", `v0:${NOW / 1000}:${body}`))}`
    const moved = raw(body, { "x-sig": header, "x-ts": String(NOW / 1000 + 1) })
    expect(await outcome(verifySignature(slackLike, moved, Option.none()))).toBe("BadSignature")
    expect(await outcome(verifySignature(slackLike, raw(body, { "x-sig": header }), Option.none()))).toBe("BadSignature")
  })

  it("checks a body timestamp after the parse, with its own future skew", async () => {
    const linearLike = scheme({ timestamp: { from: { field: "sentAt" }, unit: "milliseconds", maxAgeMs: 60_000, maxFutureMs: 5_000 } })
    const check = (value: unknown) => outcome(checkBodyTimestamp(linearLike, value, NOW))
    expect(await check({ sentAt: NOW - 59_000 })).toBe("passed")
    expect(await check({ sentAt: NOW - 61_000 })).toBe("StaleTimestamp")
    expect(await check({ sentAt: NOW + 6_000 })).toBe("StaleTimestamp")
    expect(await check({ sentAt: "soon" })).toBe("Malformed")
    expect(await check({})).toBe("Malformed")
    expect(await outcome(checkBodyTimestamp(scheme(), {}, NOW))).toBe("passed")
  })
})
