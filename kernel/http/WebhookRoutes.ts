/**
 * `POST /webhook/...`: the shared receive pipeline; handshakes answered as the vendor expects.
 * Around it, and off its success path: the access log's provider and correlation id, the
 * received and duplicate counters, and every refusal (401, 400, 404, 413, 429) kept in the
 * rejected list (`Rejections`).
 */
import { Effect, Layer, Option } from "effect"
import { HttpServerResponse } from "effect/http"
import * as Metrics from "../observability/Metrics.ts"
import { Rejections } from "../webhooks/Rejections.ts"
import { Webhooks } from "../webhooks/Webhooks.ts"
import { noteAccess } from "./AccessLog.ts"
import { pathParam, webRequest } from "./Requests.ts"
import { errorResponse, guard, json, reasonOf } from "./Respond.ts"
import { route } from "./Route.ts"

const receive = (registration: boolean) =>
  guard(Effect.gen(function*() {
    const webhooks = yield* Webhooks
    const rejections = yield* Rejections
    const providerId = yield* pathParam("provider")
    yield* noteAccess({ providerId })
    const registrationId = registration ? Option.some(yield* pathParam("registration")) : Option.none<string>()
    const request = yield* webRequest
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
    yield* Metrics.count(outcome.status === "accepted" ? Metrics.webhooksReceived : Metrics.webhooksDuplicate, { provider: providerId })
    return json(200, { ok: true, status: outcome.status })
  }))

/** `/webhook/<id>` for the deployment's app; `/webhook/<id>/<registration>` for a tenant's own app. */
export const WebhookRoutes = Layer.mergeAll(
  route("POST", "/webhook/:provider", receive(false)),
  route("POST", "/webhook/:provider/:registration", receive(true))
)
