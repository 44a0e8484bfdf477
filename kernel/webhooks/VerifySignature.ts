/**
 * Verifies a declared signature scheme (`kernel/provider/Signature.ts`) on the raw bytes, before
 * anything parses them: constant-time HMAC through Web Crypto, every configured secret tried
 * (rotation), fail closed. A timestamp read from a header is checked here too, since it costs no
 * parsing; one read from the body is checked by `checkBodyTimestamp` after the single parse.
 */
import { Effect, Option, Redacted, Schema } from "effect"
import { verifyHmacSha256 } from "../crypto/Hmac.ts"
import { WebhookRejected } from "../domain/Errors.ts"
import { base64Decode, hexDecode, utf8Encode } from "../encoding/Encoding.ts"
import type { AppContext } from "../provider/Registration.ts"
import type { HmacSha256Scheme, SignatureScheme, TimestampWindow } from "../provider/Signature.ts"
import type { RawWebhook } from "../provider/Webhook.ts"

const rejected = (reason: WebhookRejected["reason"], message: string) => new WebhookRejected({ reason, message })

const concat = (prefix: Uint8Array, body: Uint8Array, suffix: Uint8Array): Uint8Array => {
  const message = new Uint8Array(prefix.length + body.length + suffix.length)
  message.set(prefix, 0)
  message.set(body, prefix.length)
  message.set(suffix, prefix.length + body.length)
  return message
}

/** The exact bytes signed: the body, or the template with `{timestamp}` and `{body}` filled in. */
const signedBytes = (template: string | undefined, body: Uint8Array, timestamp: string): Uint8Array => {
  // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut; "{body}" split and joined again is the body
  if (template === undefined || template === "{body}") return body
  // Stryker disable next-line StringLiteral: every declared template names {body}, so `after` always exists
  const [before, after = ""] = template.split("{body}")
  // Stryker disable next-line StringLiteral: `before` always exists (split returns at least one part)
  return concat(utf8Encode((before ?? "").replaceAll("{timestamp}", timestamp)), body, utf8Encode(after.replaceAll("{timestamp}", timestamp)))
}

const labelOf = (window: TimestampWindow) =>
  window.label ?? ("header" in window.from ? window.from.header : window.from.field)

/** Checks a delivery time against the arrival time, both ways. */
export const checkWindow = (window: TimestampWindow, value: number, receivedAt: number): Effect.Effect<void, WebhookRejected> => {
  const label = labelOf(window)
  if (!Number.isFinite(value)) return Effect.fail(rejected("StaleTimestamp", `${label} is not a number`))
  const sentAt = window.unit === "seconds" ? value * 1000 : value
  const age = receivedAt - sentAt
  const maxFuture = window.maxFutureMs ?? window.maxAgeMs
  const seconds = (ms: number) => `${Math.round(Math.abs(ms) / 1000)}s`
  if (age > window.maxAgeMs) {
    return Effect.fail(rejected("StaleTimestamp", `${label} is ${seconds(age)} old; the window is ${seconds(window.maxAgeMs)}`))
  }
  if (-age > maxFuture) {
    return Effect.fail(rejected("StaleTimestamp", `${label} is ${seconds(age)} in the future; the window is ${seconds(maxFuture)}`))
  }
  return Effect.void
}

const decodeSignature = (scheme: HmacSha256Scheme, text: string): Uint8Array | undefined =>
  scheme.encoding === "base64" ? base64Decode(text) : hexDecode(text)

const verifyHmac = Effect.fnUntraced(function*(scheme: HmacSha256Scheme, raw: RawWebhook, app: Option.Option<AppContext>) {
  const secrets = scheme.secrets({ app, receivedAt: raw.receivedAt }).filter((secret) => Redacted.value(secret).length > 0)
  if (secrets.length === 0) return yield* rejected("NotConfigured", scheme.notConfigured)
  const label = scheme.label ?? scheme.header
  // Stryker disable next-line MethodExpression: Headers already strip leading and trailing whitespace; trimmed for plain records too
  const value = raw.headers.get(scheme.header)?.trim() ?? ""
  if (value.length === 0) return yield* rejected("BadSignature", `${label} header is missing`)
  const prefix = scheme.prefix ?? ""
  if (!value.startsWith(prefix)) return yield* rejected("BadSignature", `${label} is not ${prefix}<signature>`)
  const signature = decodeSignature(scheme, value.slice(prefix.length))
  if (signature === undefined || signature.length !== 32) {
    return yield* rejected("BadSignature", `${label} is not ${prefix}<an HMAC-SHA256 in ${scheme.encoding ?? "hex"}>`)
  }
  const window = scheme.timestamp
  const timestampHeader = window !== undefined && "header" in window.from ? window.from.header : undefined
  // Stryker disable next-line ConditionalExpression,MethodExpression: Headers never hold a header named "undefined", and strip whitespace themselves
  const timestamp = timestampHeader === undefined ? "" : raw.headers.get(timestampHeader)?.trim() ?? ""
  if (timestampHeader !== undefined && timestamp.length === 0) {
    // Stryker disable next-line ConditionalExpression: a timestamp header comes from a window, so there is one
    return yield* rejected("BadSignature", `${window === undefined ? timestampHeader : labelOf(window)} header is missing`)
  }
  const valid = yield* verifyHmacSha256(secrets, signedBytes(scheme.signs, raw.body, timestamp), signature)
  if (!valid) return yield* rejected("BadSignature", `${label} does not match the body under any configured secret`)
  // Stryker disable next-line ConditionalExpression: a timestamp header comes from a window, so there is one
  if (window !== undefined && timestampHeader !== undefined) {
    yield* checkWindow(window, /^-?\d{1,16}(\.\d+)?$/.test(timestamp) ? Number(timestamp) : Number.NaN, raw.receivedAt)
  }
})

export const verifySignature = (
  scheme: SignatureScheme,
  raw: RawWebhook,
  app: Option.Option<AppContext>
): Effect.Effect<void, WebhookRejected> => scheme._tag === "Custom" ? scheme.verify(raw, app) : verifyHmac(scheme, raw, app)

const TimestampField = (field: string) => Schema.Struct({ [field]: Schema.Finite })

/** A timestamp in a field of the signed body, once the body is parsed. */
export const checkBodyTimestamp = (scheme: SignatureScheme, body: unknown, receivedAt: number): Effect.Effect<void, WebhookRejected> => {
  // Stryker disable next-line ConditionalExpression: a custom scheme has no `timestamp` either
  if (scheme._tag !== "HmacSha256" || scheme.timestamp === undefined || !("field" in scheme.timestamp.from)) return Effect.void
  const window = scheme.timestamp
  const field = scheme.timestamp.from.field
  return Option.match(Schema.decodeUnknownOption(TimestampField(field))(body), {
    onNone: () => Effect.fail(rejected("Malformed", `the body has no numeric ${labelOf(window)}`)),
    onSome: (parsed) => checkWindow(window, Number(parsed[field]), receivedAt)
  })
}
