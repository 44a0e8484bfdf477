/**
 * A Linear `Comment` webhook signed as Linear signs it (HMAC-SHA256 of the body, hex, in
 * `linear-signature`), with a fresh delivery id, ids and timestamp: what the code-cache training
 * run (`nodeCodeCache.ts`) and the cold-start bench send to a Switchboard configured with
 * `LINEAR_WEBHOOK_SECRET = secret`. `label` names the organization and the text, so the two are
 * told apart in a log.
 */
import { createHmac, randomUUID } from "node:crypto"

export const signedLinearComment = (
  secret: string,
  label: string
): { readonly body: string; readonly headers: Readonly<Record<string, string>> } => {
  const body = JSON.stringify({
    action: "create",
    type: "Comment",
    organizationId: `org-${label}`,
    createdAt: new Date().toISOString(),
    data: { id: randomUUID(), body: label, issueId: `issue-${label}`, userId: `user-${label}`, createdAt: new Date().toISOString() },
    url: `https://linear.app/${label}/issue/ENG-1#comment`,
    webhookTimestamp: Date.now(),
    webhookId: randomUUID()
  })
  return {
    body,
    headers: {
      "content-type": "application/json",
      "linear-delivery": randomUUID(),
      "linear-event": "Comment",
      "linear-signature": createHmac("sha256", secret).update(body).digest("hex")
    }
  }
}
