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

/**
 * Names that carry a credential whatever the vendor; none of the envelope readers reads one. It
 * covers every signature and credential header the vendors (and proxies in front of us) are known
 * to send: authorization, proxy-authorization, cookie, GitHub's x-hub-signature(-256),
 * linear-signature, x-slack-signature, x-gitlab-token, x-shopify-hmac-sha256, stripe-signature,
 * webhook-signature, svix-signature, x-twilio-signature, x-signature-ed25519 (a list of those
 * names, kept here before, was redundant with it: the tests check each).
 */
const CREDENTIAL_NAME = /signature|hmac|secret|token|authorization|cookie|api[-_]?key/

/** The header a provider's declared HMAC scheme reads its signature from (none for a custom scheme). */
export const declaredSignatureHeaders = (definition: WebhookDefinition): ReadonlyArray<string> =>
  definition.signature._tag === "HmacSha256" ? [definition.signature.header.toLowerCase()] : []

const isCredential = (name: string, declared: ReadonlyArray<string>): boolean =>
  declared.includes(name) || CREDENTIAL_NAME.test(name)

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
