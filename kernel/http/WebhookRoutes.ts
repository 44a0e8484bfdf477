/**
 * `POST /webhook/...`: the shared receive pipeline; handshakes answered as the vendor expects.
 *
 * Two ways in, one answer: `WebhookRoutes` on Effect's `HttpRouter` (what an Effect app that
 * embeds the kernel serves), and `webhookFetch`, the same handling on the web Request itself,
 * which `Kernel.makeApp` serves ahead of the router. Webhooks are the hot path: the router's
 * request wrapping, matching and middleware cost more than the work a delivery needs before its
 * acknowledgement, so the app skips them, adding the same security headers itself.
 */
import { Effect, Layer, Option } from "effect"
import { HttpServerResponse } from "effect/http"
import { Webhooks } from "../webhooks/Webhooks.ts"
import { pathParam, webRequest } from "./Requests.ts"
import { errorJson, guard, json } from "./Respond.ts"
import { route } from "./Route.ts"
import { withSecurityHeaders } from "./SecurityHeaders.ts"

const respond = (providerId: string, request: Request, registrationId: Option.Option<string>) =>
  Effect.gen(function*() {
    const webhooks = yield* Webhooks
    const outcome = yield* webhooks.receive(providerId, request, registrationId)
    return outcome._tag === "Handshake"
      ? HttpServerResponse.text(outcome.handshake.body, {
        status: outcome.handshake.status,
        contentType: outcome.handshake.contentType
      })
      : json(200, { ok: true, status: outcome.status })
  })

const receive = (registration: boolean) =>
  guard(Effect.gen(function*() {
    const registrationId = registration ? Option.some(yield* pathParam("registration")) : Option.none<string>()
    return yield* respond(yield* pathParam("provider"), yield* webRequest, registrationId)
  }))

/** `/webhook/<id>` for the deployment's app; `/webhook/<id>/<registration>` for a tenant's own app. */
export const WebhookRoutes = Layer.mergeAll(
  route("POST", "/webhook/:provider", receive(false)),
  route("POST", "/webhook/:provider/:registration", receive(true))
)

const WEBHOOK_PATH = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/webhook\/([^/?#]+)(?:\/([^/?#]+))?\/?(?:[?#]|$)/i

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
 * (the router serves it), else the answer `WebhookRoutes` would give, security headers included.
 */
export const webhookFetch = (request: Request) => {
  if (request.method !== "POST") return undefined
  const match = WEBHOOK_PATH.exec(request.url)
  if (match === null) return undefined
  const provider = decodeParam(match[1]!)
  const registration = match[2] === undefined ? Option.some(Option.none<string>()) : Option.map(decodeParam(match[2]), Option.some)
  const handled = Option.isNone(provider) || Option.isNone(registration)
    ? Effect.succeed(errorJson(400, "BadRequest", "Malformed webhook path"))
    : guard(respond(provider.value, request, registration.value))
  return Effect.map(handled, (response) => HttpServerResponse.toWeb(withSecurityHeaders(response)))
}
