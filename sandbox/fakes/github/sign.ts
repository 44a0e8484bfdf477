/**
 * Produces webhook deliveries the way GitHub sends them for an App: the JSON body, and the
 * headers `X-GitHub-Event`, `X-GitHub-Delivery` (a GUID), `X-GitHub-Hook-ID`,
 * `X-GitHub-Hook-Installation-Target-Type: integration`, `X-GitHub-Hook-Installation-Target-ID`
 * (the App id), `X-Hub-Signature` (legacy SHA-1) and `X-Hub-Signature-256` (`sha256=` + hex
 * HMAC-SHA256 of the exact body bytes under the webhook secret). Web Crypto only.
 */

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("")

const hmac = async (hash: "SHA-1" | "SHA-256", secret: string, body: string) => {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash }, false, ["sign"])
  return hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)))
}

export interface SignGitHubWebhookOptions {
  readonly secret: string
  readonly event: string
  readonly payload: unknown
  readonly deliveryId?: string | undefined
  readonly appId?: number | undefined
  readonly hookId?: number | undefined
}

export interface SignedGitHubWebhook {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
  readonly deliveryId: string
}

export const signGitHubWebhook = async (options: SignGitHubWebhookOptions): Promise<SignedGitHubWebhook> => {
  const deliveryId = options.deliveryId ?? crypto.randomUUID()
  const body = JSON.stringify(options.payload)
  return {
    body,
    deliveryId,
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/5a3e2b1",
      accept: "*/*",
      "x-github-event": options.event,
      "x-github-delivery": deliveryId,
      "x-github-hook-id": String(options.hookId ?? 500_000_001),
      "x-github-hook-installation-target-type": "integration",
      "x-github-hook-installation-target-id": String(options.appId ?? 0),
      "x-hub-signature": `sha1=${await hmac("SHA-1", options.secret, body)}`,
      "x-hub-signature-256": `sha256=${await hmac("SHA-256", options.secret, body)}`
    }
  }
}

/** A ready-to-send `POST` of a signed delivery. */
export const gitHubWebhookRequest = async (url: string, options: SignGitHubWebhookOptions): Promise<Request> => {
  const signed = await signGitHubWebhook(options)
  return new Request(url, { method: "POST", headers: signed.headers, body: signed.body })
}
