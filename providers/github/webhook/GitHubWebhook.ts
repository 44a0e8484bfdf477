/**
 * GitHub's webhooks, declared for the kernel.
 *
 * Signature: `X-Hub-Signature-256` is `sha256=` + the hex HMAC-SHA256 of the raw body. The
 * secret is the tenant's app's when the delivery came to `/webhook/github/<registration>`, else
 * the deployment app's. During a rotation a previous secret is still accepted: for a tenant's
 * app until `ROTATION_WINDOW_MS` after the new one was pasted, for the deployment's app while it
 * is listed in GITHUB_WEBHOOK_SECRET. GitHub signs no timestamp, so there is no replay window,
 * and `X-GitHub-Delivery` is outside the signature: replays are stopped by the kernel's dedupe on
 * a digest of the signed body (a captured body under a fresh delivery id is a duplicate, for as
 * long as the event is kept), and the signature is never stored or shown by the API.
 *
 * Envelope: the event name from `X-GitHub-Event` and the body's `action` make the stored type
 * (`issue_comment.created`); the installation id is the account, so the event goes to the
 * tenant(s) that installed it. `ping` is answered as a handshake (200, not stored). Bodies come
 * as JSON or, for a webhook made with the `form` content type, as the form's `payload` field.
 */
import { Option } from "effect"
import { on } from "../../../kernel/provider/Events.ts"
import { hmacSha256, type SecretsContext } from "../../../kernel/provider/Signature.ts"
import { splitSecrets } from "../../../kernel/provider/Settings.ts"
import { defineWebhook, header, type WebhookDefinition } from "../../../kernel/provider/Webhook.ts"
import type { GitHubSettings } from "../GitHubSettings.ts"
import { decideAuthorization, decideInstallation, lifecycleOf } from "./AppEvents.ts"
import { decideIssues, decidePullRequest } from "./ItemChanges.ts"
import * as Payloads from "./Payloads.ts"
import { decideComment, decideReview, decideReviewComment } from "./Remarks.ts"

export const SIGNATURE_HEADER = "x-hub-signature-256"
export const DELIVERY_HEADER = "x-github-delivery"
export const EVENT_HEADER = "x-github-event"

/** How long a tenant app's previous webhook secret is still accepted after a rotation was pasted. */
export const ROTATION_WINDOW_MS = 24 * 60 * 60 * 1000

/** GitHub caps payloads at 25 MB; issue and review payloads are far smaller, 5 MiB is ample. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024

/** The events that carry triggers, which the app subscribes to; `installation` and `github_app_authorization` come unasked. */
export const TRIGGER_EVENTS: ReadonlyArray<string> = [
  "issues",
  "issue_comment",
  "pull_request",
  "pull_request_review",
  "pull_request_review_comment"
]

/** The secrets a delivery may be signed with, newest first. */
const secretsFor = (settings: GitHubSettings) => ({ app, receivedAt }: SecretsContext) =>
  Option.match(app, {
    onNone: () => settings.webhookSecrets,
    onSome: ({ registration, secrets }) => {
      const listed = Option.match(Option.fromNullishOr(secrets["webhookSecret"]), { onNone: () => [], onSome: splitSecrets })
      const setAt = Number(registration.metadata["webhookSecretSetAt"] ?? "0")
      const inWindow = Number.isFinite(setAt) && receivedAt <= setAt + ROTATION_WINDOW_MS
      return inWindow ? listed : listed.slice(0, 1)
    }
  })

/** `issue_comment.created`; event names may hold digits (`projects_v2_item`), nothing else but lowercase and `_`. */
const eventTypeOf = (eventName: string | undefined, action: string | null | undefined): string | undefined => {
  if (eventName === undefined || !/^[a-z0-9_]{1,64}$/.test(eventName)) return undefined
  return action === undefined || action === null || action.length === 0 ? eventName : `${eventName}.${action}`
}

const handshakeOf = (envelope: Payloads.Envelope, eventType: string) =>
  eventType === "ping" || eventType.startsWith("ping.")
    ? { status: 200, contentType: "application/json", body: JSON.stringify({ ok: true, zen: envelope.zen ?? null }) }
    : undefined

export const make = (settings: GitHubSettings): WebhookDefinition =>
  defineWebhook({
    maxBodyBytes: MAX_BODY_BYTES,
    body: "jsonOrFormPayload",
    signature: hmacSha256({
      header: SIGNATURE_HEADER,
      label: "X-Hub-Signature-256",
      prefix: "sha256=",
      encoding: "hex",
      secrets: secretsFor(settings),
      notConfigured: "GitHub webhooks are not configured: send them to the app registration's URL, or set GITHUB_WEBHOOK_SECRET"
    }),
    envelope: {
      schema: Payloads.Envelope,
      deliveryId: (_, source) => header(source, DELIVERY_HEADER),
      eventType: (envelope, source) => eventTypeOf(header(source, EVENT_HEADER), envelope.action),
      account: ({ installation }) => installation === undefined || installation === null ? undefined : String(installation.id),
      lifecycle: (_, eventType) => lifecycleOf(eventType),
      handshake: handshakeOf
    },
    events: {
      issues: on(Payloads.IssuesEvent, decideIssues(settings.triggerLabel)),
      pull_request: on(Payloads.PullRequestEvent, decidePullRequest(settings.triggerLabel)),
      issue_comment: on(Payloads.IssueCommentEvent, decideComment),
      pull_request_review: on(Payloads.PullRequestReviewEvent, decideReview),
      pull_request_review_comment: on(Payloads.PullRequestReviewCommentEvent, decideReviewComment),
      installation: on(Payloads.InstallationEvent, decideInstallation),
      github_app_authorization: on(Payloads.AppAuthorizationEvent, decideAuthorization)
    }
  })
