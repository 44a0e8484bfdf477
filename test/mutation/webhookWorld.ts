/**
 * A webhook provider for the mutation unit tests ("hooks"): an HMAC-SHA256 signature over
 * `{timestamp}.{body}` with the timestamp in a header, a JSON envelope
 * `{ id, type, account?, lifecycle?, challenge? }`, and events a test can count.
 */
import { Effect, Option, Redacted, Result, Schema } from "effect"
import { signHmacSha256Hex } from "../../kernel/crypto/Hmac.ts"
import { ToolError } from "../../kernel/domain/Errors.ts"
import { ProviderId, SessionKey } from "../../kernel/domain/Ids.ts"
import { on } from "../../kernel/provider/Events.ts"
import type { IntegrationProvider } from "../../kernel/provider/Provider.ts"
import { hmacSha256 } from "../../kernel/provider/Signature.ts"
import { defineWebhook, dispatchTo, header, ignore, type InstallationLifecycle } from "../../kernel/provider/Webhook.ts"
import { gadgets, Vendor, widgets } from "./world.ts"

export const HOOK_SECRET = "hook-secret"

/** What the events saw: decisions made, acknowledgements run (with the token used). */
export class Sightings {
  prepared = 0
  readonly acknowledged: Array<string> = []
  /** Tokens the vendor refuses to acknowledge with. */
  readonly refused = new Set<string>()
  /** When set, every acknowledgement fails with this vendor error (not a refusal of the token). */
  failing = false
}

const Envelope = Schema.Struct({
  id: Schema.optional(Schema.String),
  type: Schema.optional(Schema.String),
  account: Schema.optional(Schema.String),
  lifecycle: Schema.optional(Schema.Literals(["installed", "revoked", "suspended", "unsuspended"])),
  challenge: Schema.optional(Schema.String)
})

const Thing = Schema.Struct({ thing: Schema.Struct({ id: Schema.String, ignored: Schema.optional(Schema.Boolean) }) })

export const hooksWebhook = (sightings: Sightings, options: { readonly maxBodyBytes?: number } = {}) =>
  defineWebhook({
    maxBodyBytes: options.maxBodyBytes,
    signature: hmacSha256({
      header: "x-hooks-signature",
      prefix: "v1=",
      signs: "{timestamp}.{body}",
      secrets: ({ app }) =>
        Option.match(app, {
          onNone: () => [Redacted.make(HOOK_SECRET)],
          onSome: (context) => Option.toArray(Option.fromNullishOr(context.secrets["clientSecret"]))
        }),
      notConfigured: "HOOKS_SECRET is not set",
      timestamp: { from: { header: "x-hooks-timestamp" }, unit: "seconds", maxAgeMs: 300_000 }
    }),
    envelope: {
      schema: Envelope,
      deliveryId: (envelope, source) => envelope.id ?? header(source, "x-hooks-delivery"),
      eventType: (envelope) => envelope.type,
      account: (envelope) => envelope.account,
      lifecycle: (envelope): InstallationLifecycle | undefined => envelope.lifecycle,
      handshake: (envelope) =>
        envelope.challenge === undefined ? undefined : { status: 200, contentType: "text/plain", body: envelope.challenge }
    },
    events: {
      thing: {
        acknowledges: true,
        prepare: (body, envelope) => {
          sightings.prepared++
          return on(
            Thing,
            (event, context) =>
              event.thing.ignored === true
                ? ignore("not for agents")
                : dispatchTo({
                  sessionKey: SessionKey.make(`hooks:thing:${event.thing.id}`),
                  prompt: `Thing ${event.thing.id} for ${context.publication.agentId}, ${context.eventType} ${context.deliveryId} ${
                    Option.getOrElse(context.account, () => "-")
                  }`,
                  mode: "start",
                  context: { id: event.thing.id },
                  actor: null
                }),
            {
              acknowledge: (event, context) =>
                Option.some(Effect.suspend(() => {
                  const token = Redacted.value(context.accessToken)
                  if (sightings.refused.has(token)) return Effect.fail(new ToolError({ reason: "Unauthorized", message: "refused" }))
                  if (sightings.failing) return Effect.fail(new ToolError({ reason: "VendorError", message: "vendor down" }))
                  sightings.acknowledged.push(`${event.thing.id}:${token}`)
                  return Effect.logInfo("acknowledging")
                }))
            }
          ).prepare(body, envelope)
        }
      },
      quiet: on(Schema.Unknown, () => ignore("quiet")),
      // Says it acknowledges, yet prepares events without an acknowledgement.
      lazy: { acknowledges: true, prepare: () => Result.succeed({ decide: () => ignore("lazy") }) }
    }
  })

export const hooks = (
  sightings: Sightings,
  options: { readonly maxBodyBytes?: number } = {},
  vendor: Vendor = new Vendor()
): IntegrationProvider => ({
  ...gadgets,
  // Widgets' OAuth: its refresh rotates tokens (`tok` → `tok+`), its adoption counts.
  install: widgets(vendor).install,
  // Tenant-owned apps as widgets has them; the app's `clientSecret` signs its webhooks.
  registration: widgets(vendor).registration,
  id: ProviderId.make("hooks"),
  displayName: "Hooks",
  tools: [],
  webhook: hooksWebhook(sightings, options)
})

/** A signed delivery of `body` at `seconds` (epoch seconds). */
export const signedRequest = (
  body: string,
  seconds: number,
  options: { readonly secret?: string; readonly headers?: Record<string, string>; readonly url?: string } = {}
) =>
  Effect.map(signHmacSha256Hex(Redacted.make(options.secret ?? HOOK_SECRET), `${seconds}.${body}`), (mac) =>
    new Request(options.url ?? "https://switchboard.test/webhook/hooks", {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "x-hooks-timestamp": String(seconds), "x-hooks-signature": `v1=${mac}`, ...options.headers }
    }))
