/**
 * The production SessionSink: each delivery is a signed JSON POST to the agent platform
 * (SWITCHBOARD_SESSIONS_URL) with an `Idempotency-Key` equal to the dispatch id, so the
 * receiver can dedupe the outbox's at-least-once retries. One attempt per call; retries and
 * backoff belong to the outbox. Not supported: redirects to another host, mTLS, streaming.
 */
import { Config, Effect, Layer } from "effect"
import type { Duration } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { SessionSink } from "../../kernel/dispatch/SessionSink.ts"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import { checkAnswer, signDelivery, signedSinkConfig, timedOut, unreachable } from "./SignedDelivery.ts"
import type { SignedSinkOptions } from "./SignedDelivery.ts"

export interface HttpSinkOptions extends SignedSinkOptions {
  readonly url: string
}

export const make = Effect.fnUntraced(function*(options: HttpSinkOptions) {
  const client = yield* HttpClient.HttpClient
  const target = new URL(options.url).origin

  const deliver = (delivery: SessionDelivery) =>
    Effect.gen(function*() {
      const signed = yield* signDelivery(options.signingKey, delivery)
      const request = HttpClientRequest.post(options.url).pipe(
        HttpClientRequest.setHeaders(signed.headers),
        HttpClientRequest.bodyText(signed.body, "application/json")
      )
      const answer = yield* client.execute(request).pipe(
        Effect.flatMap((response) =>
          Effect.map(Effect.orElseSucceed(response.text, () => ""), (body) => ({ status: response.status, body }))
        ),
        Effect.mapError((cause) => unreachable(target, cause)),
        timeoutWith(options.timeout, target)
      )
      return yield* checkAnswer(target, answer.status, answer.body)
    }).pipe(Effect.withSpan("HttpSink.deliver", { attributes: { dispatchId: delivery.dispatch.id } }))

  return SessionSink.of({ deliver })
})

const timeoutWith = (timeout: Duration.Input, target: string) =>
  Effect.timeoutOrElse({ duration: timeout, orElse: () => Effect.fail(timedOut(target, timeout)) })

export const layer = (options: HttpSinkOptions): Layer.Layer<SessionSink, never, HttpClient.HttpClient> =>
  Layer.effect(SessionSink, make(options))

/** SWITCHBOARD_SESSIONS_URL, MCP_SIGNING_KEY, SWITCHBOARD_SESSIONS_TIMEOUT. */
export const layerConfig: Layer.Layer<SessionSink, Config.ConfigError, HttpClient.HttpClient> = Layer.effect(
  SessionSink,
  Effect.gen(function*() {
    const url = yield* Config.URL("SWITCHBOARD_SESSIONS_URL")
    const options = yield* signedSinkConfig
    return yield* make({ ...options, url: url.href })
  })
)
