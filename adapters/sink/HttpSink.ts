/**
 * The production SessionSink: each delivery is a signed JSON POST to the agent platform
 * (SWITCHBOARD_SESSIONS_URL) with an `Idempotency-Key` equal to the dispatch id, so the
 * receiver can dedupe the outbox's at-least-once retries. One attempt per call; retries and
 * backoff belong to the outbox. Not supported: redirects to another host, mTLS, streaming.
 *
 * Sent with the `fetch` of `FetchHttpClient.Fetch` (the global one unless the app provides
 * another), not through an `HttpClient`: a delivery is one POST and its answer, and the client's
 * request and response models cost a delivery three times fetch's own work (issue 14's bench).
 */
import { Config, Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { SessionSink } from "../../kernel/dispatch/SessionSink.ts"
import { spanWhenTraced } from "../../kernel/observability/Spans.ts"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import { checkAnswer, postSigned, signDelivery, signedSinkConfig } from "./SignedDelivery.ts"
import type { SignedSinkOptions } from "./SignedDelivery.ts"

export interface HttpSinkOptions extends SignedSinkOptions {
  readonly url: string
}

export const make = Effect.fnUntraced(function*(options: HttpSinkOptions) {
  const fetch = yield* FetchHttpClient.Fetch
  const target = new URL(options.url).origin

  const deliver = (delivery: SessionDelivery) =>
    Effect.gen(function*() {
      const signed = yield* signDelivery(options.signingKey, delivery)
      const answer = yield* postSigned(fetch, options.url, target, options.timeout, signed)
      return yield* checkAnswer(target, answer.status, answer.body)
    }).pipe(spanWhenTraced("HttpSink.deliver", { dispatchId: delivery.dispatch.id }))

  return SessionSink.of({ deliver })
})

export const layer = (options: HttpSinkOptions): Layer.Layer<SessionSink> => Layer.effect(SessionSink, make(options))

/** SWITCHBOARD_SESSIONS_URL, MCP_SIGNING_KEY, SWITCHBOARD_SESSIONS_TIMEOUT. */
export const layerConfig: Layer.Layer<SessionSink, Config.ConfigError> = Layer.effect(
  SessionSink,
  Effect.gen(function*() {
    const url = yield* Config.URL("SWITCHBOARD_SESSIONS_URL")
    const options = yield* signedSinkConfig
    return yield* make({ ...options, url: url.href })
  })
)
