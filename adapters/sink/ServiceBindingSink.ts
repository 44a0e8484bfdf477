/**
 * SessionSink for an agent platform deployed as another Worker: the same signed JSON request as
 * `HttpSink`, sent through a Workers service binding (no public hop, no DNS). The binding is a
 * runtime object, so the Workers entrypoint looks it up in `env` (SWITCHBOARD_SESSIONS_BINDING
 * names it) and hands it here. The URL only matters to the receiving Worker's router.
 */
import { Config, Effect, Layer } from "effect"
import { SessionSink } from "../../kernel/dispatch/SessionSink.ts"
import { spanWhenTraced } from "../../kernel/observability/Spans.ts"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import { checkAnswer, postSigned, signDelivery, signedSinkConfig } from "./SignedDelivery.ts"
import type { Send, SignedSinkOptions } from "./SignedDelivery.ts"

/** The part of a Workers `Fetcher` this sink uses. */
export interface ServiceBinding {
  readonly fetch: (request: Request) => Promise<Response>
}

export const isServiceBinding = (value: unknown): value is ServiceBinding =>
  typeof value === "object" && value !== null && "fetch" in value && typeof value.fetch === "function"

export interface ServiceBindingSinkOptions extends SignedSinkOptions {
  readonly binding: ServiceBinding
  /** Default `https://switchboard-sessions/sessions`. */
  readonly url?: string
}

export const defaultUrl = "https://switchboard-sessions/sessions"

export const make = (options: ServiceBindingSinkOptions): SessionSink["Service"] => {
  const url = options.url ?? defaultUrl
  const target = "service binding"
  const send: Send = (to, init) => options.binding.fetch(new Request(to, init))

  const deliver = (delivery: SessionDelivery) =>
    Effect.gen(function*() {
      const signed = yield* signDelivery(options.signingKey, delivery)
      const answer = yield* postSigned(send, url, target, options.timeout, signed)
      return yield* checkAnswer(target, answer.status, answer.body)
    }).pipe(spanWhenTraced("ServiceBindingSink.deliver", { dispatchId: delivery.dispatch.id }))

  return SessionSink.of({ deliver })
}

export const layer = (options: ServiceBindingSinkOptions): Layer.Layer<SessionSink> =>
  Layer.succeed(SessionSink, make(options))

/** MCP_SIGNING_KEY, SWITCHBOARD_SESSIONS_TIMEOUT and SWITCHBOARD_SESSIONS_BINDING_URL (optional). */
export const layerConfig = (binding: ServiceBinding): Layer.Layer<SessionSink, Config.ConfigError> =>
  Layer.effect(
    SessionSink,
    Effect.gen(function*() {
      const options = yield* signedSinkConfig
      const url = yield* Config.String("SWITCHBOARD_SESSIONS_BINDING_URL").pipe(Config.withDefault(defaultUrl))
      return make({ ...options, binding, url })
    })
  )
