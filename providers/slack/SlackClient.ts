/**
 * Slack's Web API over the Effect `HttpClient`: one POST to `<api>/<method>` per call with the
 * installation's bot token as a bearer header, the body JSON for the write methods that accept
 * it (`chat.postMessage`, `chat.update`, `reactions.*`) and form-encoded for the others, which
 * Slack documents as form-only. The answer's envelope (`ok`, `error`) is decoded first, then the
 * method's own Schema; every failure is a `ToolError` (see `SlackErrors.ts`).
 *
 * It does not retry: `chat.postMessage` is not idempotent, and a rate-limited caller gets
 * `retryAfterSeconds` to decide for itself. File bytes go to the pre-signed upload URL Slack
 * hands out, without the token, since that URL is another host; only to a host of Slack's (or the
 * configured API's, for a proxy or the local fake), so that an answer naming another host never
 * makes the server send a request there (`isUploadUrl`), and a redirect from the upload host is
 * refused, not followed (`PastedUrl.confine`): it could name any host and port.
 */
import { Duration, Effect, Option, type Redacted, Schema } from "effect"
import { HttpClient, type HttpClientError, HttpClientRequest, type HttpClientResponse } from "effect/http"
import { ToolError } from "../../kernel/domain/Errors.ts"
import * as SlackErrors from "./SlackErrors.ts"
import { allowedOrigin, confine } from "../../kernel/provider/PastedUrl.ts"
import { decodeJsonText, nullable } from "../../kernel/provider/Vendor.ts"

export type Arguments = Readonly<Record<string, Schema.Json | undefined>>

export interface SlackMethod<A> {
  readonly name: string
  readonly encoding: "json" | "form"
  /** The successful answer, envelope fields included or not: unknown keys are tolerated. */
  readonly response: Schema.Codec<A, unknown>
}

export const method = <A>(name: string, encoding: "json" | "form", response: Schema.Codec<A, unknown>): SlackMethod<A> => ({
  name,
  encoding,
  response
})

/** A call whose listed error codes are an answer rather than a failure (`already_reacted`). */
export type Attempt<A> = { readonly _tag: "Ok"; readonly value: A } | { readonly _tag: "Refused"; readonly code: string }

export interface SlackClient {
  readonly call: <A>(
    method: SlackMethod<A>,
    args: Arguments,
    token: Redacted.Redacted<string>
  ) => Effect.Effect<A, ToolError, HttpClient.HttpClient>
  readonly attempt: <A>(
    method: SlackMethod<A>,
    args: Arguments,
    token: Redacted.Redacted<string>,
    tolerated: ReadonlyArray<string>
  ) => Effect.Effect<Attempt<A>, ToolError, HttpClient.HttpClient>
  /** Sends file bytes to an upload URL from `files.getUploadURLExternal`. */
  readonly upload: (
    url: string,
    filename: string,
    bytes: Uint8Array
  ) => Effect.Effect<void, ToolError, HttpClient.HttpClient>
}

/**
 * Where file bytes may go, by the rules for a pasted URL (`PastedUrl.allowedOrigin`: https, no
 * userinfo, plain http only on loopback): a host of Slack's (uploads are on files.slack.com), or
 * the host of the API the client was made for.
 */
const uploadHosts = (apiUrl: string): ReadonlyArray<string> => ["*.slack.com", new URL(apiUrl).host]

export const isUploadUrl = (url: string, apiUrl: string): boolean => Option.isSome(allowedOrigin(url, uploadHosts(apiUrl)))

/** Long enough for Slack's slowest methods, short enough that an agent is not left hanging. */
export const REQUEST_TIMEOUT = Duration.seconds(30)

export const Envelope = Schema.Struct({
  ok: Schema.Boolean,
  error: nullable(Schema.String),
  needed: nullable(Schema.String),
  provided: nullable(Schema.String),
  response_metadata: nullable(Schema.Struct({ messages: nullable(Schema.Array(Schema.String)) }))
})
const decodeEnvelope = decodeJsonText(Envelope)
const decodeJson = decodeJsonText(Schema.Unknown)

const vendorError = (message: string) => new ToolError({ reason: "VendorError", message })

/** Form values: scalars as text, structures (blocks, file lists) as JSON, as Slack reads them. */
export const formFields = (args: Arguments): Record<string, string> => {
  const fields: Record<string, string> = {}
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined || value === null) continue
    fields[name] = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value)
  }
  return fields
}

const jsonBody = (args: Arguments): Record<string, Schema.Json> => {
  const body: Record<string, Schema.Json> = {}
  for (const [name, value] of Object.entries(args)) if (value !== undefined) body[name] = value
  return body
}

const send = (
  request: HttpClientRequest.HttpClientRequest,
  what: string,
  execute: (request: HttpClientRequest.HttpClientRequest) => Effect.Effect<
    HttpClientResponse.HttpClientResponse,
    HttpClientError.HttpClientError | ToolError,
    HttpClient.HttpClient
  > = HttpClient.execute
) =>
  execute(request).pipe(
    Effect.timeoutOrElse({
      duration: REQUEST_TIMEOUT,
      orElse: () => Effect.fail(vendorError(`Slack did not answer ${what} within 30s`))
    }),
    Effect.catchTag("HttpClientError", (error) => Effect.fail(vendorError(`Could not reach Slack for ${what}: ${error.message}`)))
  )

const readText = (response: HttpClientResponse.HttpClientResponse, what: string) =>
  response.text.pipe(Effect.mapError((error) => vendorError(`Could not read Slack's answer to ${what}: ${error.message}`)))

export const make = (apiUrl: string): SlackClient => {
  const attempt = Effect.fn("SlackClient.attempt")(function*<A>(
    method: SlackMethod<A>,
    args: Arguments,
    token: Redacted.Redacted<string>,
    tolerated: ReadonlyArray<string>
  ) {
    yield* Effect.annotateCurrentSpan({ "slack.method": method.name })
    const base = HttpClientRequest.post(`${apiUrl}/${method.name}`).pipe(
      HttpClientRequest.bearerToken(token),
      HttpClientRequest.acceptJson
    )
    const request = method.encoding === "json"
      ? HttpClientRequest.bodyJsonUnsafe(base, jsonBody(args)).pipe(
        HttpClientRequest.setHeader("content-type", "application/json; charset=utf-8")
      )
      : HttpClientRequest.bodyUrlParams(base, formFields(args))
    const response = yield* send(request, method.name)
    const text = yield* readText(response, method.name)
    const failure = (code: Option.Option<string>, envelope?: typeof Envelope.Type): SlackErrors.SlackFailure => ({
      method: method.name,
      status: response.status,
      code,
      needed: envelope?.needed,
      provided: envelope?.provided,
      messages: envelope?.response_metadata?.messages,
      retryAfter: Option.fromNullishOr(response.headers["retry-after"])
    })
    const envelope = yield* Effect.option(decodeEnvelope(text))
    if (Option.isNone(envelope)) return yield* SlackErrors.toToolError(failure(Option.none()))
    const error = Option.fromNullishOr(envelope.value.error)
    if (response.status === 429 || !envelope.value.ok) {
      if (Option.isSome(error) && response.status !== 429 && tolerated.includes(error.value)) {
        return { _tag: "Refused", code: error.value } as const
      }
      return yield* SlackErrors.toToolError(failure(error, envelope.value))
    }
    const body = yield* decodeJson(text).pipe(Effect.mapError(() => vendorError(`Slack's answer to ${method.name} is not JSON`)))
    const value = yield* Schema.decodeUnknownEffect(method.response)(body).pipe(
      Effect.mapError((decodeError) =>
        vendorError(`Slack's answer to ${method.name} has an unexpected shape: ${decodeError.message}`)
      )
    )
    return { _tag: "Ok", value } as const
  })

  const call = <A>(method: SlackMethod<A>, args: Arguments, token: Redacted.Redacted<string>) =>
    Effect.flatMap(attempt(method, args, token, []), (result) =>
      result._tag === "Ok"
        ? Effect.succeed(result.value)
        : Effect.fail(vendorError(`Slack ${method.name} failed: ${result.code}`)))

  // The upload's own client: every request checked against the upload hosts, no redirect followed.
  const confined = confine(uploadHosts(apiUrl))
  const uploadTo = (request: HttpClientRequest.HttpClientRequest) =>
    Effect.flatMap(Effect.service(HttpClient.HttpClient), (client) =>
      confined(client).execute(request).pipe(
        Effect.catchTag("PastedUrlRefused", (refused) =>
          Effect.fail(vendorError(
            refused.reason === "Redirect"
              ? `Slack's upload URL answered with a redirect (HTTP ${refused.status}), which is not followed; nothing more was sent`
              : "Slack gave an upload URL outside Slack; nothing was sent"
          )))
      ))

  const upload = Effect.fn("SlackClient.upload")(function*(url: string, filename: string, bytes: Uint8Array) {
    if (!isUploadUrl(url, apiUrl)) {
      return yield* vendorError(`Slack gave an upload URL outside Slack (${URL.canParse(url) ? new URL(url).host : "not a URL"}); nothing was sent`)
    }
    const form = new FormData()
    form.append("file", new Blob([new Uint8Array(bytes)]), filename)
    const response = yield* send(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyFormData(form)), "the file upload", uploadTo)
    const text = yield* readText(response, "the file upload")
    if (response.status === 429) {
      return yield* SlackErrors.toToolError({
        method: "file upload",
        status: 429,
        code: Option.none(),
        retryAfter: Option.fromNullishOr(response.headers["retry-after"])
      })
    }
    if (response.status < 200 || response.status >= 300) {
      return yield* vendorError(`Slack refused the file bytes (HTTP ${response.status}: ${text.slice(0, 200)})`)
    }
  })

  return { call, attempt, upload }
}
