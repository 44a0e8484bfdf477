/**
 * The REST client the tools use: one call per request with the installation token the kernel
 * hands the tool, answers decoded with Schema, every failure a `ToolError` (`../GitHubErrors.ts`).
 *
 * Rate limits follow GitHub's guidance and never turn into a retry storm: a limited answer
 * closes the installation's gate until GitHub's wait is over (`RateLimits.ts`), so other
 * calls fail at once with the remaining wait; the call itself is retried at most once, and only
 * when GitHub's wait is a few seconds (a limited request was not carried out, so repeating it is
 * safe even for a create). Longer waits go back to the agent as `RateLimited` with
 * `retryAfterSeconds`. A 2xx answer that spends the last of the primary budget closes the gate
 * until its reset too, so the next call does not have to be refused by GitHub first. The gate is
 * this process's and, through the kernel (`PublicationContext.sharedGate`), every instance's on
 * the same database: a limit one instance was told about holds for all of them.
 */
import { Clock, Duration, Effect, Option, Schema } from "effect"
import type { HttpClient } from "effect/http"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import type { PublicationContext } from "../../../kernel/provider/PublicationContext.ts"
import { decodeJsonText } from "../../../kernel/provider/Vendor.ts"
import { failureOf, rateLimitedError, toToolError } from "../GitHubErrors.ts"
import { type Method, type RestAnswer, send } from "../GitHubHttp.ts"
import { makeGate, rateLimitOf } from "./RateLimits.ts"

/** Waits up to this long are sat out once; longer ones are the agent's to schedule. */
export const MAX_INLINE_WAIT_SECONDS = 5

export const DIFF_MEDIA_TYPE = "application/vnd.github.diff"

export interface ToolCall {
  readonly method: Method
  readonly path: string
  readonly query?: Readonly<Record<string, string>> | undefined
  readonly body?: unknown
  readonly accept?: string | undefined
  /** What is being done, for messages: "get issue acme/app#1". */
  readonly what: string
}

export interface GitHubClient {
  readonly json: <A>(
    call: ToolCall,
    schema: Schema.Codec<A, unknown>,
    context: PublicationContext
  ) => Effect.Effect<A, ToolError, HttpClient.HttpClient>
  readonly text: (call: ToolCall, context: PublicationContext) => Effect.Effect<string, ToolError, HttpClient.HttpClient>
}

const isOk = (answer: RestAnswer) => answer.status >= 200 && answer.status < 300

export const make = (apiUrl: string): GitHubClient => {
  const gate = makeGate()

  // This process's gate first (no query while it is closed); then the one every instance sharing
  // the database sees, which the kernel hands tools (absent in a bare client).
  const waitFor = (context: PublicationContext, key: string, now: number): Effect.Effect<Option.Option<number>> => {
    const local = gate.waitFor(key, now)
    if (Option.isSome(local) || context.sharedGate === undefined) return Effect.succeed(local)
    return Effect.map(context.sharedGate.blockedUntil(key, now), Option.map((until) => {
      gate.block(key, until)
      return Math.max(1, Math.ceil((until - now) / 1000))
    }))
  }

  const block = (context: PublicationContext, key: string, until: number): Effect.Effect<void> => {
    gate.block(key, until)
    return context.sharedGate === undefined ? Effect.void : context.sharedGate.block(key, until)
  }

  const attempt = (call: ToolCall, context: PublicationContext, retried: boolean): Effect.Effect<RestAnswer, ToolError, HttpClient.HttpClient> =>
    Effect.gen(function*() {
      // GitHub's buckets are per installation, which is what the external account id is.
      const key = context.installation.externalAccountId
      const before = yield* Clock.currentTimeMillis
      const waiting = retried ? Option.none<number>() : yield* waitFor(context, key, before)
      if (Option.isSome(waiting)) {
        return yield* new ToolError({
          reason: "RateLimited",
          message: `GitHub asked this installation to slow down; ${call.what} was not sent. Retry in ${waiting.value}s`,
          retryAfterSeconds: waiting.value
        })
      }
      const answer = yield* send(apiUrl, {
        method: call.method,
        path: call.path,
        query: call.query,
        body: call.body,
        accept: call.accept,
        bearer: Option.some(context.accessToken)
      }).pipe(Effect.mapError((error) => new ToolError({ reason: "VendorError", message: error.message })))
      const now = yield* Clock.currentTimeMillis
      if (isOk(answer)) {
        if (answer.headers["x-ratelimit-remaining"] === "0") {
          const reset = Number(answer.headers["x-ratelimit-reset"])
          if (Number.isFinite(reset)) yield* block(context, key, reset * 1000)
        }
        return answer
      }
      const limit = rateLimitOf(answer, failureOf(answer).message, now)
      if (Option.isNone(limit)) return yield* toToolError(answer, call.what)
      yield* block(context, key, now + limit.value.retryAfterSeconds * 1000)
      yield* Effect.logWarning("GitHub rate limit", limit.value.kind, `${limit.value.retryAfterSeconds}s`, call.what)
      if (retried || limit.value.retryAfterSeconds > MAX_INLINE_WAIT_SECONDS) {
        return yield* rateLimitedError(limit.value, call.what)
      }
      yield* Effect.sleep(Duration.seconds(limit.value.retryAfterSeconds))
      return yield* attempt(call, context, true)
    })

  const json = <A>(call: ToolCall, schema: Schema.Codec<A, unknown>, context: PublicationContext) =>
    attempt(call, context, false).pipe(
      Effect.flatMap((answer) => decodeJsonText(schema)(answer.text)),
      Effect.mapError((error) =>
        error._tag === "ToolError"
          ? error
          : new ToolError({ reason: "VendorError", message: `GitHub's answer to ${call.what} has an unexpected shape: ${error.message}` })
      ),
      Effect.withSpan("GitHubClient.json", { attributes: { "github.call": `${call.method} ${call.path}` } })
    )

  const text = (call: ToolCall, context: PublicationContext) =>
    attempt(call, context, false).pipe(
      Effect.map((answer) => answer.text),
      Effect.withSpan("GitHubClient.text", { attributes: { "github.call": `${call.method} ${call.path}` } })
    )

  return { json, text }
}
