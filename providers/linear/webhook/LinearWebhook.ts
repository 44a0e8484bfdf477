/**
 * Linear's webhooks, declared for the kernel.
 *
 * Signature: `Linear-Signature`, the hex HMAC-SHA256 of the raw body (any configured secret
 * during a rotation); then `webhookTimestamp`, a field of the signed body, within Linear's
 * documented 60 seconds of our clock, both ways. The event type comes from the signed body
 * (`type` + `action`, e.g. `AgentSessionEvent.created`), not from the unsigned `Linear-Event`
 * header, which names the same `type` without the action. The delivery id is `Linear-Delivery`.
 *
 * Two paths: agent sessions (`SessionDecisions.ts`), whose `created` event also carries the
 * acknowledgement Linear expects within 10 seconds (`Acknowledge.ts`); and the classic path of
 * assignments and mentions (`ClassicDecisions.ts`). `OAuthApp.revoked` revokes the installation.
 */
import { Option, Schema } from "effect"
import { on } from "../../../kernel/provider/Events.ts"
import { hmacSha256 } from "../../../kernel/provider/Signature.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { defineWebhook, header, ignore, type WebhookDefinition } from "../../../kernel/provider/Webhook.ts"
import * as LinearClient from "../LinearClient.ts"
import type { LinearSettings } from "../LinearConfig.ts"
import { acknowledge } from "./Acknowledge.ts"
import { decideComment, decideIssue } from "./ClassicDecisions.ts"
import { CommentCreated, IssueChanged, OAuthAppRevoked } from "./DataEvents.ts"
import { decideSession } from "./SessionDecisions.ts"
import { AgentSessionCreated, AgentSessionPrompted } from "./SessionEvents.ts"

/** What routing and storage need of every Linear body. */
const Envelope = Schema.Struct({
  type: Schema.String,
  action: nullable(Schema.String),
  organizationId: nullable(Schema.String)
})

export const make = (settings: LinearSettings): WebhookDefinition => {
  const client = LinearClient.make(settings.apiUrl)
  return defineWebhook({
    signature: hmacSha256({
      header: "linear-signature",
      label: "Linear-Signature",
      secrets: () => settings.webhookSecrets,
      notConfigured: "Linear webhooks are not configured: set LINEAR_WEBHOOK_SECRET",
      timestamp: { from: { field: "webhookTimestamp" }, unit: "milliseconds", maxAgeMs: 60_000, label: "Linear webhookTimestamp" }
    }),
    envelope: {
      schema: Envelope,
      deliveryId: (_, source) => header(source, "linear-delivery"),
      eventType: ({ action, type }) =>
        type.length === 0 || action === undefined || action === null || action.length === 0 ? type : `${type}.${action}`,
      account: (envelope) => envelope.organizationId,
      lifecycle: (_, eventType) => eventType === "OAuthApp.revoked" ? "revoked" : undefined
    },
    events: {
      "AgentSessionEvent.created": on(AgentSessionCreated, decideSession, {
        acknowledge: (event, { accessToken, deliveryId }) =>
          Option.some(acknowledge(client, {
            deliveryId,
            agentSessionId: event.agentSession.id,
            issue: event.agentSession.issue?.identifier ?? null
          })(accessToken))
      }),
      "AgentSessionEvent.prompted": on(AgentSessionPrompted, decideSession),
      "Issue.create": on(IssueChanged, decideIssue),
      "Issue.update": on(IssueChanged, decideIssue),
      "Comment.create": on(CommentCreated, decideComment),
      "OAuthApp.revoked": on(OAuthAppRevoked, (event) =>
        ignore(`organization ${event.organizationId} revoked the Linear app; the installation is marked revoked`))
    }
  })
}
