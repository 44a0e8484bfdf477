/**
 * The receive pipeline every provider shares:
 *
 * 1. provider found (404), body read under the size limit (413), raw bytes kept;
 * 2. the provider's declared signature is verified on the raw bytes before anything parses
 *    them (401), the body parsed once, a replay window checked (401), and only the envelope
 *    read (delivery id, event type, account: 400 when there is none to route by). The event
 *    itself is decoded when it is decided (`Receiver.ts`);
 * 4. handshakes (Slack's url_verification) are answered without being stored;
 * 5. the event is stored once per tenant that installed the vendor account, keyed by the
 *    vendor's delivery id and by a digest of the signed body, BEFORE the acknowledgement; a
 *    delivery seen before, or its body under a new delivery id (a replay), is a duplicate.
 *    Signatures are not stored (`StoredHeaders.ts`);
 * 6. lifecycle events (uninstall, revoke) update installations;
 * 7. deciding and dispatching run in the background, so the vendor's deadline never waits
 *    on the agent platform. What a crash interrupts, the poller (or cron) picks up.
 */
import { Clock, Context, Effect, Layer, Option } from "effect"
import type { HttpClient } from "effect/http"
import { type StoreError, type VaultError, WebhookRejected } from "../domain/Errors.ts"
import type { EventId, ProviderId } from "../domain/Ids.ts"
import { UNROUTED_TENANT, type WebhookEvent } from "../domain/WebhookEvent.ts"
import { Dispatch } from "../dispatch/Dispatch.ts"
import type { Installation } from "../domain/Installation.ts"
import { Install } from "../install/Install.ts"
import type { LimitExceeded } from "../limits/LimitExceeded.ts"
import { Limits } from "../limits/Limits.ts"
import { InstallationTokens } from "../install/InstallationTokens.ts"
import { Revocation } from "../install/Revocation.ts"
import { Registrations } from "../install/Registrations.ts"
import type { IntegrationProvider } from "../provider/Provider.ts"
import type { AppContext } from "../provider/Registration.ts"
import { KernelConfig } from "../KernelConfig.ts"
import type { RawWebhook, WebhookHandshake } from "../provider/Webhook.ts"
import { Registry } from "../registry/Registry.ts"
import { Background } from "../runtime/Background.ts"
import { InstallationStore } from "../store/InstallationStore.ts"
import { PublicationStore } from "../store/PublicationStore.ts"
import { WebhookEventStore } from "../store/WebhookEventStore.ts"
import { readBodyCapped } from "./ReadBody.ts"
import { type DecodedWebhook, receiverOf } from "./Receiver.ts"
import { eventRows } from "./EventRows.ts"
import { ownersFor } from "./Owners.ts"

export type WebhookOutcome =
  | { readonly _tag: "Handshake"; readonly handshake: WebhookHandshake }
  | {
    readonly _tag: "Acknowledged"
    readonly status: "accepted" | "duplicate"
    readonly eventIds: ReadonlyArray<EventId>
    /** The vendor's delivery id: the correlation id of the access log and every line after. */
    readonly deliveryId: string
  }

export class Webhooks extends Context.Service<Webhooks, {
  /** `registrationId` names the tenant's own app when the webhook came to `/webhook/<id>/<registration>`. */
  readonly receive: (
    providerId: string,
    request: Request,
    registrationId: Option.Option<string>
  ) => Effect.Effect<WebhookOutcome, WebhookRejected | StoreError | VaultError | LimitExceeded, HttpClient.HttpClient>
  /**
   * What follows storing a verified delivery's rows (`inserted`: those that were new): the
   * lifecycle, the background decisions and acknowledgement, the delivery's log line. `receive`
   * ends with it; the webhook lane (`WebhookLane.ts`), which stores the rows itself, too.
   */
  readonly afterStore: (
    providerId: ProviderId,
    decoded: DecodedWebhook,
    owners: ReadonlyArray<Installation>,
    inserted: ReadonlyArray<WebhookEvent>
  ) => Effect.Effect<"accepted" | "duplicate", StoreError | VaultError, HttpClient.HttpClient>
}>()("switchboard/webhooks/Webhooks") {
  static readonly layer = Layer.effect(
    Webhooks,
    Effect.gen(function*() {
      const registry = yield* Registry
      const config = yield* KernelConfig
      const events = yield* WebhookEventStore
      const installations = yield* InstallationStore
      const dispatch = yield* Dispatch
      const install = yield* Install
      const background = yield* Background
      const publications = yield* PublicationStore
      const revocation = yield* Revocation
      const tokens = yield* InstallationTokens
      const registrations = yield* Registrations
      const limits = yield* Limits

      /** Runs the provider's acknowledgement when some publication will get this event. */
      const acknowledge = Effect.fnUntraced(function*(decoded: DecodedWebhook, installation: Installation) {
        const acknowledgeWith = decoded.acknowledge
        if (acknowledgeWith === undefined) return
        const active = (yield* publications.listByInstallation(installation.tenantId, installation.id)).filter((publication) =>
          publication.status === "active" && decoded.decide(installation, publication)._tag === "Dispatch"
        )
        if (active.length === 0) return
        const current = yield* tokens.get(installation)
        // Like a tool call: a token the vendor rejects before its stored expiry is refreshed once.
        yield* acknowledgeWith(installation, current.accessToken).pipe(
          Effect.catchIf(
            (error) => error.reason === "Unauthorized",
            () =>
              tokens.refreshAfterRejection(installation, current).pipe(
                Effect.flatMap((fresh) => acknowledgeWith(installation, fresh.accessToken))
              )
          )
        )
      })

      /** The provider, the tenant's own app when the webhook came to its URL, and the provider's receiver. */
      const target = Effect.fnUntraced(function*(providerId: string, registrationId: Option.Option<string>) {
        const provider = registry.get(providerId)
        if (Option.isNone(provider)) {
          return yield* new WebhookRejected({ reason: "UnknownProvider", message: `No provider "${providerId}" is registered` })
        }
        const app = Option.isSome(registrationId)
          ? yield* registrations.forWebhook(provider.value.id, registrationId.value)
          : Option.none<AppContext>()
        if (Option.isSome(registrationId) && Option.isNone(app)) {
          return yield* new WebhookRejected({ reason: "UnknownProvider", message: "No such app registration" })
        }
        return { provider: provider.value, app, receiver: receiverOf(provider.value) }
      })

      /**
       * The installations this delivery belongs to. A tenant's own app announcing an installation
       * we have not seen is connected first, so the event (and everything after it) belongs to that
       * tenant; and a tenant's own app speaks only for that tenant's installations of that app.
       */
      const ownersOf = Effect.fnUntraced(function*(providerId: ProviderId, decoded: DecodedWebhook, app: Option.Option<AppContext>) {
        const found = Option.isSome(decoded.externalAccountId)
          ? yield* installations.findByAccount(providerId, decoded.externalAccountId.value)
          : []
        const adopted = Option.isSome(app) && Option.isSome(decoded.externalAccountId) &&
            Option.contains(decoded.lifecycle, "installed") &&
            !found.some((installation) => installation.registrationId === app.value.registration.id)
          ? yield* install.adopt(app.value, decoded.externalAccountId.value).pipe(
            Effect.catchTags({
              InstallError: (error) => Effect.as(Effect.logWarning("could not adopt an announced installation", error.message), Option.none()),
              VaultError: (error) => Effect.as(Effect.logWarning("could not adopt an announced installation", error.message), Option.none())
            })
          )
          : Option.none()
        return ownersFor(Option.isSome(adopted) ? [...found, adopted.value] : found, app)
      })

      /**
       * Stores the delivery once per owning tenant (or as unrouted), before the acknowledgement;
       * returns what was new. Dedupe is on the vendor's delivery id and on the digest of the raw
       * body, which every HMAC scheme signs: a captured body re-sent under a fresh delivery id
       * is a duplicate even where nothing signed bounds its age (GitHub). A vendor's own resend
       * of a body is the same event, so a duplicate is the right answer: GitHub's redelivery keeps
       * `X-GitHub-Delivery` (an id per event), Slack's retries keep `event_id`, Jira's keep
       * `X-Atlassian-Webhook-Identifier`, and Linear's retries (1 min, 1 h, 6 h) carry a fresh
       * `webhookTimestamp`, hence a new body. Two distinct events never share a body: each
       * carries its event id or time. Slack's signed timestamp is left out of the digest, so a
       * re-signed copy of a body is still the same body. The digest is kept as long as the event
       * (`WebhookEventStore.InsertOptions`).
       */
      const store = Effect.fnUntraced(function*(
        provider: IntegrationProvider,
        decoded: DecodedWebhook,
        owners: ReadonlyArray<Installation>,
        request: Request,
        raw: RawWebhook
      ) {
        const inserted: Array<WebhookEvent> = []
        for (const event of eventRows(provider, decoded, owners, request.headers, raw.receivedAt)) {
          if (yield* events.insertIfAbsent(event, { contentDigest: decoded.contentDigest })) inserted.push(event)
        }
        return inserted
      })

      /** Uninstall, revoke, suspend and unsuspend, for the installations whose tenants stored the event. */
      const applyLifecycle = (decoded: DecodedWebhook, owners: ReadonlyArray<Installation>, inserted: ReadonlyArray<WebhookEvent>) =>
        Option.match(decoded.lifecycle, {
          onNone: () => Effect.void,
          onSome: (lifecycle) =>
            Effect.forEach(
              owners.filter((installation) => inserted.some((event) => event.tenantId === installation.tenantId)),
              (installation) =>
                lifecycle === "unsuspended"
                  ? installation.status === "revoked"
                    ? revocation.reactivate(installation, "the vendor lifted a suspension")
                    : Effect.void
                  : lifecycle === "installed" || installation.status !== "active"
                  ? Effect.void
                  : revocation.revoke(installation, `the vendor ${lifecycle === "suspended" ? "suspended" : "revoked"} the installation`),
              { discard: true }
            )
        })

      /** The vendor's deadline never waits on the agent platform: acknowledgements and decisions run in the background. */
      const decideInBackground = Effect.fnUntraced(function*(
        decoded: DecodedWebhook,
        owners: ReadonlyArray<Installation>,
        inserted: ReadonlyArray<WebhookEvent>
      ) {
        for (const event of inserted) {
          // Stored as ignored already: nothing to decide, so no background fiber per request.
          if (event.tenantId === UNROUTED_TENANT) continue
          const owner = owners.find((installation) => installation.tenantId === event.tenantId && installation.status === "active")
          if (decoded.acknowledge !== undefined && owner !== undefined) {
            yield* background.run("acknowledge", acknowledge(decoded, owner).pipe(Effect.annotateLogs({ correlationId: decoded.deliveryId })))
          }
          yield* background.run(
            "dispatch",
            // The installation as routing read it saves the decision a lookup, unless this very
            // delivery changed it (an uninstall or a revocation, just applied).
            dispatch.decide(
              event,
              Option.some(decoded),
              Option.isSome(decoded.lifecycle) ? undefined : owners.find((installation) => installation.tenantId === event.tenantId)
            ).pipe(
              Effect.annotateLogs({ eventId: event.id, deliveryId: event.deliveryId, providerId: event.providerId, correlationId: event.deliveryId })
            )
          )
        }
      })

      // The hot path: a span without the call-site stack trace Effect.fn would capture per call.
      const receive = Effect.fnUntraced(function*(
        providerId: string,
        request: Request,
        registrationId: Option.Option<string>
      ) {
        const { app, provider, receiver } = yield* target(providerId, registrationId)
        const limit = Math.min(receiver.maxBodyBytes ?? config.maxBodyBytes, config.maxBodyBytes)
        const raw: RawWebhook = { headers: request.headers, body: yield* readBodyCapped(request, limit), receivedAt: yield* Clock.currentTimeMillis }
        const decoded = yield* receiver.receive(raw, app)
        if (Option.isSome(decoded.handshake)) return { _tag: "Handshake", handshake: decoded.handshake.value } as const
        // The vendor's delivery id is the correlation id, from here to the dispatch and its tool calls.
        const annotations = { correlationId: decoded.deliveryId, providerId: provider.id }
        yield* Effect.annotateCurrentSpan(annotations)
        const owners = yield* ownersOf(provider.id, decoded, app)
        // Per-tenant limit, counted once the tenants are known and before anything is stored (429).
        yield* limits.admitWebhook(owners, app)
        const inserted = yield* store(provider, decoded, owners, request, raw)
        const status = yield* afterStore(provider.id, decoded, owners, inserted)
        return { _tag: "Acknowledged", status, eventIds: inserted.map((event) => event.id), deliveryId: decoded.deliveryId } as const
      }, Effect.withSpan("Webhooks.receive", undefined, { captureStackTrace: false }))

      /**
       * Once the rows are stored: the lifecycle, the background work, and the delivery's line.
       * Per-request lines cost the hot path when nobody reads them: a duplicate, and an event no
       * installation owns (stored as ignored), are logged at debug; an accepted event for a
       * tenant at info, as the first line of its correlated trail.
       */
      const afterStore = Effect.fnUntraced(function*(
        providerId: ProviderId,
        decoded: DecodedWebhook,
        owners: ReadonlyArray<Installation>,
        inserted: ReadonlyArray<WebhookEvent>
      ) {
        const annotations = { correlationId: decoded.deliveryId, providerId }
        if (inserted.length === 0) {
          yield* Effect.logDebug("duplicate webhook delivery", decoded.deliveryId).pipe(Effect.annotateLogs(annotations))
          return "duplicate" as const
        }
        yield* applyLifecycle(decoded, owners, inserted)
        yield* decideInBackground(decoded, owners, inserted)
        yield* (owners.length > 0 ? Effect.logInfo : Effect.logDebug)("webhook accepted").pipe(
          Effect.annotateLogs({ ...annotations, deliveryId: decoded.deliveryId, eventType: decoded.eventType })
        )
        return "accepted" as const
      })

      return Webhooks.of({ receive, afterStore })
    })
  )
}
