/**
 * What the HTTP and service-binding sinks share: the signed JSON request for one delivery, its
 * POST through a fetch function under the attempt's timeout, and the mapping of the receiver's
 * answer (or silence) to the kernel's `SinkError`. Redirects are not followed specially; a
 * receiver must answer 2xx at the configured URL.
 */
import { Clock, Config, Duration, Effect, Redacted } from "effect"
import { deliveryJson } from "../../kernel/domain/DispatchJson.ts"
import { SinkError } from "../../kernel/domain/Errors.ts"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
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

export const signDelivery = Effect.fnUntraced(function*(
  signingKey: Redacted.Redacted<string>,
  delivery: SessionDelivery
) {
  const body = deliveryJson(delivery)
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

/** A fetch function: the global one, a test's, or a Workers service binding's. */
export type Send = (url: string, init: RequestInit) => Promise<Response>

/**
 * POSTs a signed delivery and reads the answer, all within `timeout` (the answer's body
 * included): a native timer on the request's own abort signal rather than a race in Effect, which
 * cost a delivery several times fetch's own work. Interrupting the fiber aborts the request.
 */
export const postSigned = (
  send: Send,
  url: string,
  target: string,
  timeout: Duration.Input,
  signed: SignedDelivery
): Effect.Effect<{ readonly status: number; readonly body: string }, SinkError> => {
  const timeoutMs = Duration.toMillis(Duration.fromInputUnsafe(timeout))
  let expired: AbortSignal | undefined
  return Effect.tryPromise({
    try: async (interrupted) => {
      expired = AbortSignal.timeout(timeoutMs)
      const response = await send(url, {
        method: "POST",
        headers: signed.headers,
        body: signed.body,
        signal: AbortSignal.any([interrupted, expired])
      })
      const body = await response.text().catch(() => "")
      // A body cut off by the timeout is a timeout, whatever the status said.
      if (expired.aborted) throw expired.reason
      return { status: response.status, body }
    },
    catch: (cause) => expired?.aborted === true ? timedOut(target, timeout) : unreachable(target, cause)
  })
}
