/**
 * The webhook lane: the common delivery acknowledged in plain code, with the pipeline's own parts.
 *
 * A delivery to `/webhook/<id>` that verifies, routes and is stored needs a handful of steps, and
 * on an embedded database each takes microseconds; run as an Effect program (a fiber, the
 * `SqlClient`'s lease per statement, a group-commit round, the router's request and response
 * conversions) the same steps cost twice the work of a hand-written handler (issue 14's bench).
 * So when the database answers synchronously (`IngestNow`, SQLite) and the runtime hashes
 * synchronously (`NativeCrypto`), the app hands deliveries to this lane first. It does what
 * `Webhooks.receive` does, with the same functions:
 *
 * - the provider's `Receiver` verifies the signature and reads the envelope (one synchronous run);
 * - `LaneCommit` finds the account's installations, has `Limits` admit the delivery and stores its
 *   rows (`EventRows.ts`) with the other deliveries of the turn, in one statement through
 *   `IngestNow`, alone on the connection, before the answer;
 * - `Webhooks.afterStore` does everything after the store (background decisions, log lines);
 * - the answer, the access line and the counters are the pipeline's (`WebhookRoutes.ts`).
 *
 * Everything else is not the lane's, and it steps aside before it has changed anything: the
 * delivery, its body already read, goes to the Effect pipeline (`fallback`), which answers it
 * as it always has. That covers every refusal (so the refusal is recorded once, by the pipeline),
 * handshakes, lifecycle events, tenants' own apps (`/webhook/<id>/<registration>`), bodies
 * without a Content-Length, a connection in use by a transaction or another statement, and a
 * database error. It is off when the limits are shared through the database (`Limits.inMemory`).
 * With tracing on, the lane makes the delivery's spans itself (`LaneSpans.ts`).
 *
 * One difference remains, in a rare case: when the database throws on the insert (another
 * process holds its lock), the limit has admitted the delivery once here and admits it again in
 * the pipeline, so it counts twice against the tenant's per-minute allowance.
 */
import { Context, Effect, Exit, Layer, LogLevel, Option, References } from "effect"
import { type HttpClient, HttpServerResponse } from "effect/http"
import { NativeCrypto } from "../crypto/NativeCrypto.ts"
import type { IntegrationProvider } from "../provider/Provider.ts"
import { logAccess } from "../http/AccessLog.ts"
import { WEBHOOK_PATH } from "../http/WebhookRoutes.ts"
import { json } from "../http/Respond.ts"
import { withSecurityHeaders } from "../http/SecurityHeaders.ts"
import { KernelConfig } from "../KernelConfig.ts"
import { Limits } from "../limits/Limits.ts"
import * as Metrics from "../observability/Metrics.ts"
import { Registry } from "../registry/Registry.ts"
import { IngestNow } from "../store/IngestNow.ts"
import { makeLaneCommit } from "./LaneCommit.ts"
import { makeLaneSpans } from "./LaneSpans.ts"
import { type Receiver, receiverOf } from "./Receiver.ts"
import { Webhooks } from "./Webhooks.ts"

/** The Effect pipeline, for a delivery the lane does not take (`WebhookRoutes.webhookFetch`). */
export type Fallback = (request: Request) => Promise<Response>

export interface Lane {
  /**
   * `undefined` for a request that is not a delivery to `/webhook/<id>`, left to the caller;
   * else its answer, from the lane or, when the lane steps aside, from `fallback`.
   */
  readonly handle: (request: Request, fallback: Fallback) => Promise<Response> | undefined
}

const NOT_TAKEN: Lane = { handle: () => undefined }

/** The pipeline's 200 for a stored delivery, as a body and the headers to build it with. */
const answerOf = (status: "accepted" | "duplicate") => {
  const made = HttpServerResponse.toWeb(withSecurityHeaders(json(200, { ok: true, status })))
  return { body: JSON.stringify({ ok: true, status }), init: { status: 200, headers: Object.fromEntries(made.headers) } }
}

/** The delivery again, its body already read, for the pipeline. */
const again = (request: Request, body: Uint8Array<ArrayBuffer>): Request =>
  new Request(request.url, { method: request.method, headers: request.headers, body })

export class WebhookLane extends Context.Service<WebhookLane, Lane>()("switchboard/webhooks/WebhookLane") {
  static readonly layer = Layer.effect(
    WebhookLane,
    Effect.gen(function*() {
      const ingest = yield* IngestNow
      const native = yield* NativeCrypto
      // Without both, a step would wait on a promise.
      if (ingest === undefined || native === undefined) return NOT_TAKEN
      const registry = yield* Registry
      const config = yield* KernelConfig
      const limits = yield* Limits
      // Limits shared through the database wait on it: the pipeline's.
      if (!limits.inMemory) return NOT_TAKEN
      const webhooks = yield* Webhooks
      const spans = yield* makeLaneSpans
      // The services the lane was built with: the pipeline's logger, clock and metrics.
      const context = yield* Effect.context<HttpClient.HttpClient>()
      const runSync = Effect.runSyncExitWith(context)
      const runPromise = Effect.runPromiseExitWith(context)

      const store = makeLaneCommit(ingest, (owners) => Exit.isSuccess(runSync(limits.admitWebhook(owners, Option.none()))))

      // The pipeline's two answers, made once: their body and headers never vary.
      const answers = {
        accepted: answerOf("accepted"),
        duplicate: answerOf("duplicate")
      }
      // What follows storing an unrouted delivery is a debug line only (no lifecycle reaches the
      // lane, and nothing is decided for `_unrouted`): nothing to run below that level.
      const debugging = LogLevel.isGreaterThanOrEqualTo("Debug", yield* References.MinimumLogLevel)

      const answer = (status: "accepted" | "duplicate", providerId: string, deliveryId: string, path: string, started: number) => {
        const response = new Response(answers[status].body, answers[status].init)
        runSync(Effect.andThen(
          Metrics.countWebhook(status, providerId),
          // SWITCHBOARD_ACCESS_LOG=errors logs no 200, as the pipeline's `withAccessLog`.
          (config.accessLog ?? "on") !== "on"
            ? Effect.void
            : logAccess("POST", path, 200, Date.now() - started, { providerId, correlationId: deliveryId, reason: undefined })
        ))
        return response
      }

      const take = async (
        request: Request,
        fallback: Fallback,
        path: string,
        provider: IntegrationProvider,
        receiver: Receiver,
        limit: number
      ): Promise<Response> => {
        const started = Date.now()
        const received = spans?.now() ?? 0n
        let body: Uint8Array<ArrayBuffer>
        try {
          body = new Uint8Array(await request.arrayBuffer())
        } catch {
          // The pipeline reads it again and answers as it does for a body that cannot be read.
          return fallback(new Request(request.url, {
            method: request.method,
            headers: request.headers,
            body: new ReadableStream({ start: (controller) => controller.error(new Error("the body could not be read")) })
          }))
        }
        if (body.byteLength > limit) return fallback(again(request, body))
        const decoded = runSync(receiver.receive({ headers: request.headers, body, receivedAt: started }, Option.none()))
        if (
          Exit.isFailure(decoded) || Option.isSome(decoded.value.handshake) || Option.isSome(decoded.value.lifecycle)
        ) return fallback(again(request, body))
        const delivery = decoded.value
        const storing = spans?.now() ?? 0n
        const stored = await store({ provider, delivery, headers: request.headers, receivedAt: started })
        if (stored === undefined) return fallback(again(request, body))
        // Stored: from here the delivery is acknowledged whatever happens (what did not start
        // in the background is found undecided by the poller).
        const { inserted, owners } = stored
        const traced = spans?.open(
          { received, storing, stored: spans.now(), deliveries: stored.round },
          { correlationId: delivery.deliveryId, providerId: provider.id }
        )
        const after = webhooks.afterStore(provider.id, delivery, owners, inserted)
        // With owners, background fibers start: on the runtime's scheduler, not a synchronous
        // run's, and under the pipeline's span (the delivery's own when tracing), which their
        // failures name as the pipeline's do.
        if (owners.length > 0 && inserted.length > 0) {
          await runPromise(
            traced === undefined
              ? Effect.withSpan(after, "Webhooks.receive", { captureStackTrace: false })
              : Effect.withParentSpan(after, traced.span)
          )
        } else if (owners.length > 0 || debugging) runSync(traced === undefined ? after : Effect.withParentSpan(after, traced.span))
        // As `afterStore` answers: nothing new is a duplicate.
        const response = answer(inserted.length === 0 ? "duplicate" : "accepted", provider.id, delivery.deliveryId, path, started)
        traced?.end()
        return response
      }

      return WebhookLane.of({
        handle: (request, fallback) => {
          if (request.method !== "POST") return undefined
          // The pipeline's own match; a tenant's app URL (a registration) is the pipeline's.
          const match = WEBHOOK_PATH.exec(request.url)
          if (match === null || match[3] !== undefined) return undefined
          // Not decoded: an id written with escapes is found by none, and the pipeline decodes it.
          const provider = registry.get(match[2]!)
          if (Option.isNone(provider)) return fallback(request)
          const receiver = receiverOf(provider.value)
          const declared = request.headers.get("content-length")
          const limit = Math.min(receiver.maxBodyBytes ?? config.maxBodyBytes, config.maxBodyBytes)
          // Read only a body of a declared, acceptable length, signed by a declared HMAC scheme (a
          // custom scheme may wait on a promise); any other request is the pipeline's, untouched.
          if (
            provider.value.webhook.signature._tag !== "HmacSha256" || declared === null || !/^\d{1,15}$/.test(declared) ||
            Number(declared) > limit
          ) return fallback(request)
          return take(request, fallback, match[1]!, provider.value, receiver, limit)
        }
      })
    })
  )
}
