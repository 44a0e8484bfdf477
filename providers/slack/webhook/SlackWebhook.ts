/**
 * Slack's Events API, declared for the kernel (`kernel/provider/Webhook.ts`).
 *
 * Signature: `X-Slack-Signature` is `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` under
 * the signing secret (the tenant app's own when the request came to its registration's URL, else
 * any of the deployment's during a rotation), with Slack's five minute window on
 * `X-Slack-Request-Timestamp` in both directions. The timestamp is inside the signed string, so it
 * cannot be moved without breaking the signature.
 *
 * Envelope: the delivery id is Slack's `event_id`, which a retry (`X-Slack-Retry-Num`) repeats, so
 * the kernel's dedupe turns retries into duplicates; bodies without one (`app_rate_limited`,
 * unknown types) get an id derived from the body. The event type is the inner event's, with
 * messages named by their subscription (`message.im`, `message.channels:message_changed`).
 * `url_verification` is the handshake; `app_uninstalled` and a `tokens_revoked` of the bot token
 * revoke the installation.
 */
import { on } from "../../../kernel/provider/Events.ts"
import { hmacSha256 } from "../../../kernel/provider/Signature.ts"
import { defineWebhook, ignore, type WebhookDefinition } from "../../../kernel/provider/Webhook.ts"
import { signingSecretsFor, type SlackSettings } from "../SlackConfig.ts"
import * as Decisions from "./SlackDecisions.ts"
import * as Payloads from "./SlackPayloads.ts"

export const SIGNATURE_HEADER = "x-slack-signature"
export const TIMESTAMP_HEADER = "x-slack-request-timestamp"

/** Slack documents a five minute tolerance for `X-Slack-Request-Timestamp`. */
export const REPLAY_WINDOW_MS = 5 * 60 * 1000

/** Slack's subscription names for messages (`message.im` ...), by the event's `channel_type`. */
const MESSAGE_SUBSCRIPTIONS: ReadonlyMap<string, string> = new Map([
  ["channel", "message.channels"],
  ["group", "message.groups"],
  ["im", "message.im"],
  ["mpim", "message.mpim"],
  ["app_home", "message.app_home"]
])

/** The event's name for storage and the Console: `app_mention`, `message.im`, `message.channels:message_changed`. */
const callbackType = ({ event }: Payloads.Callback): string => {
  if (event.type !== "message") return event.type
  const base = MESSAGE_SUBSCRIPTIONS.get(event.channel_type ?? "") ?? "message"
  return event.subtype ? `${base}:${event.subtype}` : base
}

/**
 * The installation the event was delivered for. Slack lists it in `authorizations`; an org-wide
 * (Enterprise Grid) install is keyed by its enterprise id, like the installation; the envelope's
 * `team_id` is the fallback for older payloads.
 */
const callbackAccount = (callback: Payloads.Callback): string | null | undefined => {
  const first = callback.authorizations?.[0]
  if (first?.is_enterprise_install === true && first.enterprise_id) return first.enterprise_id
  return first?.team_id || callback.team_id
}

const events = {
  app_mention: on(Payloads.callbackOf(Payloads.AppMention), ({ event }, context) => Decisions.decideMention(event, context)),
  message: on(Payloads.callbackOf(Payloads.Message), ({ event }, context) => Decisions.decideMessage(event, context)),
  assistant_thread_started: on(
    Payloads.callbackOf(Payloads.AssistantThreadStarted),
    ({ event }, context) => Decisions.decideAssistantThread(event, context)
  ),
  tokens_revoked: on(Payloads.callbackOf(Payloads.TokensRevoked), ({ event }) => Decisions.decideTokensRevoked(event)),
  app_uninstalled: on(
    Payloads.callbackOf(Payloads.AppUninstalled),
    () => ignore("the app was uninstalled from the Slack workspace; the installation is marked revoked")
  ),
  app_rate_limited: on(
    Payloads.AppRateLimited,
    (limited) => ignore(`Slack paused event deliveries for minute ${limited.minute_rate_limited} (app_rate_limited)`)
  )
}

export const make = (settings: SlackSettings): WebhookDefinition =>
  defineWebhook({
    signature: hmacSha256({
      header: SIGNATURE_HEADER,
      prefix: "v0=",
      signs: "v0:{timestamp}:{body}",
      secrets: ({ app }) => signingSecretsFor(settings, app),
      notConfigured: "Slack request signing is not configured: set SLACK_SIGNING_SECRET",
      timestamp: { from: { header: TIMESTAMP_HEADER }, unit: "seconds", maxAgeMs: REPLAY_WINDOW_MS, label: "X-Slack-Request-Timestamp" },
      label: "X-Slack-Signature"
    }),
    envelope: {
      schema: Payloads.Envelope,
      deliveryId: (envelope, { digest }) => {
        switch (envelope._tag) {
          case "Callback":
            return envelope.event_id ?? undefined
          case "RateLimited":
            // One notice per app, workspace and minute: a resent notice is the same delivery.
            return `app_rate_limited:${envelope.api_app_id ?? ""}:${envelope.team_id ?? ""}:${envelope.minute_rate_limited}`
          case "Handshake":
          case "Other":
            return `${envelope.type}:${digest}`
        }
      },
      eventType: (envelope) => envelope._tag === "Callback" ? callbackType(envelope) : envelope.type,
      account: (envelope) => envelope._tag === "Callback" ? callbackAccount(envelope) : envelope._tag === "Handshake" ? null : envelope.team_id,
      lifecycle: (envelope) =>
        envelope._tag === "Callback" &&
          (envelope.event.type === "app_uninstalled" ||
            (envelope.event.type === "tokens_revoked" && Decisions.revokesBot(envelope.event.tokens ?? {})))
          ? "revoked"
          : undefined,
      handshake: (envelope) =>
        envelope._tag === "Handshake" ? { status: 200, contentType: "text/plain; charset=utf-8", body: envelope.challenge } : undefined
    },
    events
  })

