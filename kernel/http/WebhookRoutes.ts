/**
 * `POST /webhook/...`: the shared receive pipeline; handshakes answered as the vendor expects.
 * Around it, and off its success path: the access log's provider and correlation id, the
 * received and duplicate counters, and every refusal (401, 400, 404, 413, 429) kept in the
 * rejected list (`Rejections`).
 *
 * Two ways in, one answer: `WebhookRoutes` on Effect's `HttpRouter` (what an Effect app that
 * embeds the kernel serves), and `webhookFetch`, the same handling on the web Request itself,
 * which `Kernel.makeApp` serves ahead of the router. Webhooks are the hot path, and the router's
 * request wrapping and matching cost more than the work a delivery needs before its
 * acknowledgement (issue 14's bench), so the app skips them, doing what the router's two
 * middlewares do (the access log, the security headers) itself.
 */
import { Effect, Layer, Option } from "effect"
import { HttpServerResponse } from "effect/http"
import * as Metrics from "../observability/Metrics.ts"
import { Rejections } from "../webhooks/Rejections.ts"
import { Webhooks } from "../webhooks/Webhooks.ts"
import { KernelConfig } from "../KernelConfig.ts"
import { noteAccess, withAccessLog } from "./AccessLog.ts"
import { pathParam, webRequest } from "./Requests.ts"
import { errorJson, errorResponse, guard, json, reasonOf } from "./Respond.ts"
import { route } from "./Route.ts"
import { withSecurityHeaders } from "./SecurityHeaders.ts"

const handle = (providerId: string, registrationId: Option.Option<string>, request: Request) =>
  Effect.gen(function*() {
    const webhooks = yield* Webhooks
    const rejections = yield* Rejections
    yield* noteAccess({ providerId })
    const outcome = yield* webhooks.receive(providerId, request, registrationId).pipe(
      Effect.tapError((error) =>
        error._tag === "WebhookRejected" || error._tag === "LimitExceeded"
          ? rejections.record({
            providerId,
            registrationId,
            request,
            status: errorResponse(error).status,
            reason: reasonOf(error),
            message: error.message,
            tenantId: error._tag === "LimitExceeded" ? error.tenantId : undefined
          })
          : Effect.void
      )
    )
    if (outcome._tag === "Handshake") {
      return HttpServerResponse.text(outcome.handshake.body, {
        status: outcome.handshake.status,
        contentType: outcome.handshake.contentType
      })
    }
    yield* noteAccess({ correlationId: outcome.deliveryId })
    yield* Metrics.countWebhook(outcome.status, providerId)
    return json(200, { ok: true, status: outcome.status })
  })

const receive = (registration: boolean) =>
  guard(Effect.gen(function*() {
    const providerId = yield* pathParam("provider")
    const registrationId = registration ? Option.some(yield* pathParam("registration")) : Option.none<string>()
    return yield* handle(providerId, registrationId, yield* webRequest)
  }))

/** `/webhook/<id>` for the deployment's app; `/webhook/<id>/<registration>` for a tenant's own app. */
export const WebhookRoutes = Layer.mergeAll(
  route("POST", "/webhook/:provider", receive(false)),
  route("POST", "/webhook/:provider/:registration", receive(true))
)

// Captures the path (what the access log names), then the provider and the registration.
export const WEBHOOK_PATH = /^[a-z][a-z0-9+.-]*:\/\/[^/]+(\/webhook\/([^/?#]+)(?:\/([^/?#]+))?)(?:[?#]|$)/i

/** Decoded like the router's parameters; a stray `%` is the caller's mistake (400), not a 500. */
const decodeParam = (value: string): Option.Option<string> => {
  try {
    return Option.some(decodeURIComponent(value))
  } catch {
    return Option.none()
  }
}

/**
 * The webhook routes on a web Request: `undefined` when the request is not a webhook delivery
 * (the router serves it), else the answer `WebhookRoutes` and the router's middlewares would give.
 */
export const webhookFetch = (request: Request) => {
  if (request.method !== "POST") return undefined
  const match = WEBHOOK_PATH.exec(request.url)
  if (match === null) return undefined
  // The router logs the path alone (its request URL is the path): the same here, from the match.
  const path = match[1]!
  const provider = decodeParam(match[2]!)
  const registration = match[3] === undefined ? Option.some(Option.none<string>()) : Option.map(decodeParam(match[3]), Option.some)
  const handled = Option.isNone(provider) || Option.isNone(registration)
    ? Effect.succeed(errorJson(400, "BadRequest", "Malformed registration"))
    : guard(handle(provider.value, registration.value, request))
  return KernelConfig.use((config) =>
    Effect.map(withAccessLog(config.accessLog, request.method, path, Effect.map(handled, withSecurityHeaders)), HttpServerResponse.toWeb)
  )
}
