/** `POST /webhook/<id>`: the shared receive pipeline; handshakes answered as the vendor expects. */
import { Effect } from "effect"
import { HttpServerResponse } from "effect/http"
import { Webhooks } from "../webhooks/Webhooks.ts"
import { pathParam, webRequest } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

export const WebhookRoutes = route(
  "POST",
  "/webhook/:provider",
  guard(Effect.gen(function*() {
    const webhooks = yield* Webhooks
    const outcome = yield* webhooks.receive(yield* pathParam("provider"), yield* webRequest)
    return outcome._tag === "Handshake"
      ? HttpServerResponse.text(outcome.handshake.body, {
        status: outcome.handshake.status,
        contentType: outcome.handshake.contentType
      })
      : json(200, { ok: true, status: outcome.status })
  }))
)
