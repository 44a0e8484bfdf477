/**
 * Produces webhook deliveries the way Jira Cloud sends admin webhooks registered with a secret:
 * the JSON body, `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>` (made by the
 * kernel's Hmac module, so signer and verifier cannot disagree on the algorithm),
 * `X-Atlassian-Webhook-Identifier` (the delivery id, unchanged across retries),
 * `X-Atlassian-Webhook-Flow`, and on a retry `X-Atlassian-Webhook-Retry`.
 */
import { hmacSha256Hex } from "../../kit/Signing.ts"

export interface SignJiraWebhookOptions {
  readonly secret: string
  /** The payload, or the exact body to sign. */
  readonly payload: Readonly<Record<string, unknown>> | string
  readonly deliveryId?: string | undefined
  readonly retry?: number | undefined
}

export interface SignedJiraWebhook {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
  readonly deliveryId: string
}

export const signJiraWebhook = async (options: SignJiraWebhookOptions): Promise<SignedJiraWebhook> => {
  const body = typeof options.payload === "string" ? options.payload : JSON.stringify(options.payload)
  const deliveryId = options.deliveryId ?? crypto.randomUUID()
  return {
    body,
    deliveryId,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "user-agent": "Atlassian Webhook HTTP Client",
      "x-atlassian-webhook-identifier": deliveryId,
      "x-atlassian-webhook-flow": "Primary",
      "x-hub-signature": `sha256=${await hmacSha256Hex(options.secret, body)}`,
      ...(options.retry === undefined ? {} : { "x-atlassian-webhook-retry": String(options.retry) })
    }
  }
}

/** A ready-to-send `POST` of a signed delivery. */
export const jiraWebhookRequest = (url: string, options: SignJiraWebhookOptions): Promise<Request> =>
  signJiraWebhook(options).then((signed) => new Request(url, { method: "POST", headers: signed.headers, body: signed.body }))
