/** `POST /webhook/...`: the shared receive pipeline; handshakes answered as the vendor expects. */
import { Effect, Layer, Option } from "effect"
import { HttpServerResponse } from "effect/http"
import { Webhooks } from "../webhooks/Webhooks.ts"
import { pathParam, webRequest } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const receive = (registration: boolean) =>
  guard(Effect.gen(function*() {
    const webhooks = yield* Webhooks
    const registrationId = registration ? Option.some(yield* pathParam("registration")) : Option.none<string>()
    const outcome = yield* webhooks.receive(yield* pathParam("provider"), yield* webRequest, registrationId)
    return outcome._tag === "Handshake"
      ? HttpServerResponse.text(outcome.handshake.body, {
        status: outcome.handshake.status,
        contentType: outcome.handshake.contentType
      })
      : json(200, { ok: true, status: outcome.status })
  }))

/** `/webhook/<id>` for the deployment's app; `/webhook/<id>/<registration>` for a tenant's own app. */
export const WebhookRoutes = Layer.mergeAll(
  route("POST", "/webhook/:provider", receive(false)),
  route("POST", "/webhook/:provider/:registration", receive(true))
)
