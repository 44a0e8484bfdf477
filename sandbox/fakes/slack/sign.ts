/**
 * Produces Events API requests the way Slack sends them: the JSON body, `Content-Type:
 * application/json`, `X-Slack-Request-Timestamp` (epoch seconds), `X-Slack-Signature`
 * (`v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>` under the app's signing secret, made with
 * the kernel's Hmac module so signer and verifier cannot disagree on the algorithm), and on a
 * retry `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`.
 */
import { Effect, Redacted } from "effect"
import { signHmacSha256Hex } from "../../../kernel/crypto/Hmac.ts"

export interface SignSlackOptions {
  readonly signingSecret: string
  readonly payload: unknown
  /** Epoch seconds; defaults to now. */
  readonly timestamp?: number | undefined
  readonly retryNum?: number | undefined
  readonly retryReason?: string | undefined
}

export interface SignedSlackRequest {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

export const signSlackRequest = (options: SignSlackOptions): Effect.Effect<SignedSlackRequest> =>
  Effect.gen(function*() {
    const body = JSON.stringify(options.payload)
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000))
    const signature = yield* signHmacSha256Hex(Redacted.make(options.signingSecret), `v0:${timestamp}:${body}`)
    const retry: Record<string, string> = options.retryNum === undefined
      ? {}
      : { "x-slack-retry-num": String(options.retryNum), "x-slack-retry-reason": options.retryReason ?? "http_timeout" }
    return {
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": `v0=${signature}`,
        ...retry
      }
    }
  })

/** A ready-to-send `POST` of a signed delivery. */
export const slackRequest = (url: string, options: SignSlackOptions): Promise<Request> =>
  Effect.runPromise(signSlackRequest(options)).then((signed) => new Request(url, { method: "POST", headers: signed.headers, body: signed.body }))
