/**
 * The headers kept with a stored delivery, and shown with it: what a later reread needs (delivery
 * id, event name, retry count, timestamps), never what authenticates the request. A signature
 * next to its raw body is all a replay needs, so no signature reaches the database or an API
 * response; credentials a proxy adds (authorization, cookies) are left out for the same reason.
 *
 * Left out: the header the provider declares for its HMAC scheme, the signature and token headers
 * of the vendors we know, and any header whose name says it carries a signature or a secret (a
 * provider with a custom scheme declares no header, so the name is the only hint we have).
 */
import type { WebhookDefinition } from "../provider/Webhook.ts"

/** Signature and credential headers the vendors (and proxies in front of us) are known to send. */
const KNOWN_CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  // GitHub (both the SHA-256 and the legacy SHA-1 signature), and Jira's admin webhooks.
  "x-hub-signature-256",
  "x-hub-signature",
  "linear-signature",
  "x-slack-signature",
  // Others a custom scheme may verify: GitLab, Shopify, Stripe, Standard Webhooks / Svix, Twilio, Discord.
  "x-gitlab-token",
  "x-shopify-hmac-sha256",
  "stripe-signature",
  "webhook-signature",
  "svix-signature",
  "x-twilio-signature",
  "x-signature-ed25519"
])

/** Names that carry a credential whatever the vendor; none of the envelope readers reads one. */
const CREDENTIAL_NAME = /signature|hmac|secret|token|authorization|cookie|api[-_]?key/

/** The header a provider's declared HMAC scheme reads its signature from (none for a custom scheme). */
export const declaredSignatureHeaders = (definition: WebhookDefinition): ReadonlyArray<string> =>
  definition.signature._tag === "HmacSha256" ? [definition.signature.header.toLowerCase()] : []

const isCredential = (name: string, declared: ReadonlyArray<string>): boolean =>
  declared.includes(name) || KNOWN_CREDENTIAL_HEADERS.has(name) || CREDENTIAL_NAME.test(name)

/**
 * The headers without signatures and credentials, names in lowercase. Takes a request's `Headers`
 * at receipt, or a stored record (rows written before signatures were left out are cleaned when read).
 */
export const withoutCredentials = (
  headers: Headers | Readonly<Record<string, string>>,
  declared: ReadonlyArray<string>
): Record<string, string> => {
  const kept: Record<string, string> = {}
  const entries: Iterable<[string, string]> = headers instanceof Headers ? headers.entries() : Object.entries(headers)
  for (const [name, value] of entries) {
    const lower = name.toLowerCase()
    if (!isCredential(lower, declared)) kept[lower] = value
  }
  return kept
}
