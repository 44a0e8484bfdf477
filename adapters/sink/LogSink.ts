/**
 * Development SessionSink: every delivery is logged and counted as delivered. No agent runs, so
 * use it to watch webhooks turn into dispatches. The MCP bearer token is never logged; its
 * expiry is, so a developer can still tell fresh tokens apart.
 */
import { Effect, Layer } from "effect"
import { SessionSink } from "../../kernel/dispatch/SessionSink.ts"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"

/** The delivery as logged: everything but the token. */
export const redact = (delivery: SessionDelivery) => ({
  ...delivery,
  mcp: { url: delivery.mcp.url, token: "<redacted>", expiresAt: delivery.mcp.expiresAt }
})

export const make: SessionSink["Service"] = SessionSink.of({
  deliver: (delivery) =>
    Effect.logInfo("session delivery", redact(delivery)).pipe(
      Effect.annotateLogs({
        sink: "log",
        dispatchId: delivery.dispatch.id,
        mode: delivery.dispatch.mode,
        sessionKey: delivery.dispatch.sessionKey
      })
    )
})

export const layer: Layer.Layer<SessionSink> = Layer.succeed(SessionSink, make)
