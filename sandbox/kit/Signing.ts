/**
 * Signing webhooks the way vendors do, for fakes, tests and the sandbox. Signatures are made with
 * the kernel's own HMAC module, so a signer and the verifier can never disagree on the algorithm;
 * what differs per vendor is only what is signed (the body, or `v0:<timestamp>:<body>`) and how
 * it is written into a header (`sha256=<hex>`, bare hex ...).
 *
 * The kit's signature tests start from a correctly signed request and break it: `withoutHeader`
 * (missing), `truncated` (half the value kept), and a signature made with a wrong secret.
 */
import { Effect, Redacted } from "effect"
import { signHmacSha256Hex } from "../../kernel/crypto/Hmac.ts"

/** Hex HMAC-SHA256 of `message` under `secret`. */
export const hmacSha256Hex = (secret: string, message: string | Uint8Array): Promise<string> =>
  Effect.runPromise(signHmacSha256Hex(Redacted.make(secret), message))

/** A webhook request as the vendor would send it: the exact body bytes and its headers. */
export interface SignedWebhook {
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

const withoutKey = (headers: Readonly<Record<string, string>>, name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name.toLowerCase()))

/** The same request without the signature header. */
export const withoutHeader = (signed: SignedWebhook, header: string): SignedWebhook => ({
  body: signed.body,
  headers: withoutKey(signed.headers, header)
})

/** The same request with the signature header cut to half its length (a proxy that truncates). */
export const truncated = (signed: SignedWebhook, header: string): SignedWebhook => {
  const value = Object.entries(signed.headers).find(([key]) => key.toLowerCase() === header.toLowerCase())?.[1] ?? ""
  return { body: signed.body, headers: { ...withoutKey(signed.headers, header), [header]: value.slice(0, Math.floor(value.length / 2)) } }
}

/** The same signature over a different body: the body was tampered with after signing. */
export const withBody = (signed: SignedWebhook, body: string): SignedWebhook => ({ headers: signed.headers, body })
