/**
 * What the HTTP and service-binding sinks share: the signed JSON request for one delivery, and
 * the mapping of the receiver's answer (or silence) to the kernel's `SinkError`. Redirects are
 * not followed specially; a receiver must answer 2xx at the configured URL.
 */
import { Clock, Config, Duration, Effect, Redacted, Schema } from "effect"
import { SinkError } from "../../kernel/domain/Errors.ts"
import { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import { signatureHeader, signSession } from "./SessionSignature.ts"

export interface SignedDelivery {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

export interface SignedSinkOptions {
  readonly signingKey: Redacted.Redacted<string>
  /** How long one attempt may take, answer body included. */
  readonly timeout: Duration.Input
}

/** MCP_SIGNING_KEY and SWITCHBOARD_SESSIONS_TIMEOUT (default "30 seconds": agent platforms may take a while to accept a session). */
export const signedSinkConfig: Config.Config<SignedSinkOptions> = Config.all({
  signingKey: Config.Redacted("MCP_SIGNING_KEY"),
  timeout: Config.Duration("SWITCHBOARD_SESSIONS_TIMEOUT").pipe(Config.withDefault(Duration.seconds(30)))
})

const encodeDelivery = Schema.encodeSync(Schema.fromJsonString(SessionDelivery))

export const signDelivery = Effect.fnUntraced(function*(
  signingKey: Redacted.Redacted<string>,
  delivery: SessionDelivery
) {
  const body = encodeDelivery(delivery)
  const timestamp = Math.floor((yield* Clock.currentTimeMillis) / 1000)
  const signature = yield* signSession(signingKey, body, timestamp)
  return {
    body,
    headers: {
      "content-type": "application/json",
      "idempotency-key": delivery.dispatch.id,
      [signatureHeader]: signature
    }
  } satisfies SignedDelivery
})

/** 408 and 429 say "later"; any other 4xx says the request itself is wrong, so retrying cannot help. */
export const isRetryableStatus = (status: number): boolean => status < 400 || status >= 500 || status === 408 || status === 429

const excerpt = (text: string): string => {
  const trimmed = text.trim().replace(/\s+/g, " ")
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}...` : trimmed
}

/** Succeeds on 2xx; anything else becomes `SinkError { reason: "Rejected" }`. */
export const checkAnswer = (target: string, status: number, body: string): Effect.Effect<void, SinkError> =>
  status >= 200 && status < 300
    ? Effect.void
    : Effect.fail(
      new SinkError({
        reason: "Rejected",
        message: `${target} answered ${status}${body.length > 0 ? `: ${excerpt(body)}` : ""}`,
        retryable: isRetryableStatus(status)
      })
    )

export const unreachable = (target: string, cause: unknown): SinkError =>
  new SinkError({
    reason: "Unreachable",
    message: `${target} could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`,
    retryable: true
  })

export const timedOut = (target: string, timeout: Duration.Input): SinkError =>
  new SinkError({
    reason: "Timeout",
    message: `${target} did not answer within ${Duration.format(Duration.fromInputUnsafe(timeout))}`,
    retryable: true
  })
