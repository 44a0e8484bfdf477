/** Templates: the webhook declaration (signature, envelope, event table) and its decisions. */
import type { Names } from "./Names.ts"

export const webhook = (n: Names) => `/**
 * ${n.name} webhooks, declared: the kernel verifies \`X-${n.pascal}-Signature: sha256=<hex>\` (HMAC-SHA256
 * of the body, any secret of a rotation) before parsing, checks the signed \`sentAt\` is within five
 * minutes (so a captured body cannot be replayed under a fresh delivery id), reads the envelope
 * before the ack, and decodes an event with its Schema only when deciding it. Change the names
 * and shapes to your vendor's; add an \`on(...)\` entry per event you handle.
 */
import { Schema } from "effect"
import { on } from "../../../kernel/provider/Events.ts"
import { isSelf, route, start } from "../../../kernel/provider/Routing.ts"
import { hmacSha256 } from "../../../kernel/provider/Signature.ts"
import { defineWebhook, header, ignore } from "../../../kernel/provider/Webhook.ts"
import type { ${n.pascal}Settings } from "../${n.pascal}Settings.ts"
import { sessionKeys } from "../publication/${n.pascal}Publication.ts"

const Envelope = Schema.Struct({ type: Schema.String, workspaceId: Schema.String })

const ItemAssigned = Schema.Struct({
  workspaceId: Schema.String,
  actor: Schema.Struct({ id: Schema.String, name: Schema.optional(Schema.String) }),
  item: Schema.Struct({ id: Schema.String, title: Schema.String, assigneeId: Schema.NullOr(Schema.String) })
})

/** An item assigned to the agent's account starts the item's session. */
const onItemAssigned = on(ItemAssigned, ({ actor, item, workspaceId }, context) => {
  const agent = context.installation.metadata["accountId"]
  if (agent === undefined) return ignore("the installation does not record the agent's account; reinstall it")
  if (isSelf(actor.id, [agent])) return ignore("item " + item.id + " was assigned by the agent itself")
  if (item.assigneeId !== agent) return ignore("item " + item.id + " is not assigned to the agent")
  const routed = route({
    provider: "${n.name}",
    publication: context.publication,
    subject: "item " + item.id,
    trigger: "assignment",
    sessionKeys: sessionKeys(workspaceId, item.id),
    context: { itemId: item.id, itemTitle: item.title, workspaceId }
  })
  return start(routed, { prompt: (actor.name ?? "Someone") + " assigned you " + item.title, actor: { id: actor.id, name: actor.name ?? null } })
})

export const make = (settings: ${n.pascal}Settings) =>
  defineWebhook({
    signature: hmacSha256({
      header: "x-${n.id}-signature",
      prefix: "sha256=",
      secrets: () => settings.webhookSecrets,
      notConfigured: "${n.name} webhooks are not configured: set ${n.env}_WEBHOOK_SECRET",
      timestamp: { from: { field: "sentAt" }, unit: "milliseconds", maxAgeMs: 5 * 60_000 }
    }),
    envelope: {
      schema: Envelope,
      deliveryId: (_, source) => header(source, "x-${n.id}-delivery"),
      eventType: (envelope) => envelope.type,
      account: (envelope) => envelope.workspaceId
    },
    events: { "item.assigned": onItemAssigned }
  })
`
