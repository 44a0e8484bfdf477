/**
 * GitHub webhook verification and decoding.
 *
 * `verify` checks `X-Hub-Signature-256` (`sha256=` + hex HMAC-SHA256 of the raw body, compared
 * in constant time by `kernel/crypto/Hmac.ts`) before anything parses the body. The secret is
 * the tenant's app's when the delivery came to `/webhook/github/<registration>`, else the
 * deployment app's. During a rotation a previous secret is still accepted: for a tenant's app
 * until `ROTATION_WINDOW_MS` after the new one was pasted, for the deployment's app while it is
 * listed in GITHUB_WEBHOOK_SECRET. GitHub signs no timestamp, so there is no replay window:
 * replays are stopped by the kernel's dedupe on `X-GitHub-Delivery`.
 *
 * `decode` reads the event name from `X-GitHub-Event` and the action from the signed body. It
 * does not look at the clock or the secrets: it also runs when a stored event is decided again
 * after a restart, or replayed. The installation id is the external account, so the event goes
 * to the tenant(s) that installed it. `ping` is answered as a handshake (200, not stored).
 * Unknown events and unknown fields are accepted and recorded as ignored.
 */
import { Effect, Option, Schema } from "effect"
import { verifyHmacSha256Hex } from "../../kernel/crypto/Hmac.ts"
import { WebhookRejected } from "../../kernel/domain/Errors.ts"
import type { AppContext } from "../../kernel/provider/Registration.ts"
import type { DecodedWebhook, InstallationLifecycle, RawWebhook, WebhookHandler } from "../../kernel/provider/Webhook.ts"
import { ROTATION_WINDOW_MS } from "./GitHubApp.ts"
import { splitSecrets } from "../../kernel/provider/Settings.ts"
import type { GitHubSettings } from "./GitHubConfig.ts"
import * as GitHubDispatch from "./GitHubDispatch.ts"
import * as GitHubEvents from "./GitHubEvents.ts"
import { Envelope } from "./GitHubPayloads.ts"

export const SIGNATURE_HEADER = "x-hub-signature-256"
export const DELIVERY_HEADER = "x-github-delivery"
export const EVENT_HEADER = "x-github-event"

/** GitHub caps payloads at 25 MB; issue and review payloads are far smaller, 5 MiB is ample. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024

const rejected = (reason: WebhookRejected["reason"], message: string) => new WebhookRejected({ reason, message })

/** The secrets a delivery may be signed with, newest first. */
const secretsFor = (settings: GitHubSettings, app: Option.Option<AppContext>, receivedAt: number) =>
  Option.match(app, {
    onNone: () => settings.webhookSecrets,
    onSome: ({ registration, secrets }) => {
      const listed = Option.match(Option.fromNullishOr(secrets["webhookSecret"]), {
        onNone: () => [],
        onSome: splitSecrets
      })
      const setAt = Number(registration.metadata["webhookSecretSetAt"] ?? "0")
      const inWindow = Number.isFinite(setAt) && receivedAt <= setAt + ROTATION_WINDOW_MS
      return inWindow ? listed : listed.slice(0, 1)
    }
  })

const verifyWith = (settings: GitHubSettings) => (raw: RawWebhook, app?: Option.Option<AppContext>) =>
  Effect.gen(function*() {
    const secrets = secretsFor(settings, app ?? Option.none(), raw.receivedAt)
    if (secrets.length === 0) {
      return yield* rejected(
        "NotConfigured",
        "GitHub webhooks are not configured: send them to the app registration's URL, or set GITHUB_WEBHOOK_SECRET"
      )
    }
    const header = raw.headers.get(SIGNATURE_HEADER)?.trim() ?? ""
    if (header.length === 0) return yield* rejected("BadSignature", "X-Hub-Signature-256 header is missing")
    const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header)
    if (match === null) return yield* rejected("BadSignature", "X-Hub-Signature-256 is not sha256=<64 hex digits>")
    const valid = yield* verifyHmacSha256Hex(secrets, raw.body, match[1] ?? "")
    if (!valid) return yield* rejected("BadSignature", "X-Hub-Signature-256 does not match the body under the app's webhook secret")
  })

const utf8 = new TextDecoder("utf-8", { fatal: true })
const decodeJson = Schema.decodeUnknownEffect(Schema.fromJsonString(Schema.Unknown))

/** JSON, or the `payload` field of a form post (a webhook created with content type `form`). */
const parseBody = (raw: RawWebhook): Effect.Effect<unknown, WebhookRejected> =>
  Effect.try({
    try: () => utf8.decode(raw.body),
    catch: () => rejected("Malformed", "GitHub webhook body is not valid UTF-8")
  }).pipe(
    Effect.map((text) =>
      (raw.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")
        ? new URLSearchParams(text).get("payload") ?? ""
        : text
    ),
    Effect.flatMap((text) => decodeJson(text)),
    Effect.mapError((error) => error._tag === "WebhookRejected" ? error : rejected("Malformed", "GitHub webhook body is not valid JSON"))
  )

const decodeEnvelope = Schema.decodeUnknownEffect(Envelope)

const lifecycleOf = (event: GitHubEvents.GitHubEvent): Option.Option<InstallationLifecycle> => {
  if (event._tag !== "Installation") return Option.none()
  switch (event.event.action) {
    case "created":
      return Option.some("installed")
    case "deleted":
      return Option.some("revoked")
    case "suspend":
      return Option.some("suspended")
    case "unsuspend":
      return Option.some("unsuspended")
    default:
      return Option.none()
  }
}

const decodeWith = (settings: GitHubSettings) =>
  Effect.fnUntraced(function*(raw: RawWebhook) {
    const deliveryId = raw.headers.get(DELIVERY_HEADER)?.trim() ?? ""
    if (deliveryId.length === 0) return yield* rejected("Malformed", "X-GitHub-Delivery header is missing")
    const eventName = raw.headers.get(EVENT_HEADER)?.trim() ?? ""
    if (!/^[a-z_]{1,64}$/.test(eventName)) return yield* rejected("Malformed", "X-GitHub-Event header is missing or invalid")
    const body = yield* parseBody(raw)
    const envelope = yield* decodeEnvelope(body).pipe(
      Effect.mapError(() => rejected("Malformed", "GitHub webhook body is not a JSON object"))
    )
    const eventType = GitHubEvents.eventTypeOf(eventName, envelope)
    const event = yield* GitHubEvents.classify(eventName, eventType, body).pipe(
      Effect.mapError((error) => rejected("Malformed", `GitHub ${eventType} payload is malformed: ${error.message}`))
    )
    const decoded: DecodedWebhook = {
      deliveryId,
      eventType,
      externalAccountId: Option.map(Option.fromNullishOr(envelope.installation), (installation) => String(installation.id)),
      handshake: event._tag === "Ping"
        ? Option.some({ status: 200, contentType: "application/json", body: JSON.stringify({ ok: true, zen: event.zen }) })
        : Option.none(),
      lifecycle: lifecycleOf(event),
      decide: (installation, publication) => GitHubDispatch.decide(event, installation, publication, settings.triggerLabel)
    }
    return decoded
  })

export const make = (settings: GitHubSettings): WebhookHandler => ({
  maxBodyBytes: MAX_BODY_BYTES,
  verify: verifyWith(settings),
  decode: decodeWith(settings)
})
