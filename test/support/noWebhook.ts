/** A webhook declaration for test providers whose webhooks are never sent: nothing verifies, nothing routes. */
import { Effect, Schema } from "effect"
import { custom } from "../../kernel/provider/Signature.ts"
import { defineWebhook } from "../../kernel/provider/Webhook.ts"

export const noWebhook = defineWebhook({
  signature: custom(() => Effect.void),
  envelope: { schema: Schema.Unknown, deliveryId: () => undefined, eventType: () => undefined, account: () => undefined },
  events: {}
})
