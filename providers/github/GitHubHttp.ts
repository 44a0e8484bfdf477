/**
 * One REST call to GitHub over the Effect `HttpClient`, with the headers GitHub asks every
 * client to send (a `User-Agent`, which Workers' fetch does not add; the API version; the
 * `vnd.github` media type). It answers the status, headers and body text, and fails only when
 * GitHub could not be reached: what a status means is for the caller (tools map it to a
 * `ToolError`, installs to an `InstallError`).
 */
import { Data, Duration, Effect, Option, Redacted } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"

export const API_VERSION = "2022-11-28"
export const USER_AGENT = "Switchboard-GitHub"
export const JSON_MEDIA_TYPE = "application/vnd.github+json"

/** Long enough for GitHub's slowest endpoints (search, large diffs), short enough for an agent. */
export const REQUEST_TIMEOUT = Duration.seconds(30)

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE"

export interface RestCall {
  readonly method: Method
  /** Absolute URL or a path under the API origin, already percent-encoded. */
  readonly path: string
  readonly query?: Readonly<Record<string, string>> | undefined
  readonly body?: unknown
  /** Defaults to `application/vnd.github+json`; the diff media type asks for a diff. */
  readonly accept?: string | undefined
  /** `Bearer <installation token or app JWT>`; none for the unauthenticated manifest conversion. */
  readonly bearer: Option.Option<Redacted.Redacted<string>>
}

export interface RestAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly text: string
}

export class Unreachable extends Data.TaggedError("Unreachable")<{ readonly message: string }> {}

export const send = (apiUrl: string, call: RestCall): Effect.Effect<RestAnswer, Unreachable, HttpClient.HttpClient> => {
  const url = /^https?:\/\//.test(call.path) ? call.path : `${apiUrl}${call.path}`
  const base = HttpClientRequest.make(call.method)(url, {
    headers: {
      accept: call.accept ?? JSON_MEDIA_TYPE,
      "user-agent": USER_AGENT,
      "x-github-api-version": API_VERSION
    },
    ...(call.query === undefined ? {} : { urlParams: call.query })
  })
  const authorized = Option.match(call.bearer, {
    onNone: () => base,
    onSome: (token) => HttpClientRequest.bearerToken(base, Redacted.value(token))
  })
  const request = call.body === undefined ? authorized : HttpClientRequest.bodyJsonUnsafe(authorized, call.body)
  return HttpClient.execute(request).pipe(
    Effect.flatMap((response) =>
      Effect.map(response.text, (text): RestAnswer => ({ status: response.status, headers: response.headers, text }))
    ),
    Effect.timeoutOrElse({
      duration: REQUEST_TIMEOUT,
      orElse: () => Effect.fail(new Unreachable({ message: `GitHub did not answer ${call.method} ${call.path} within 30s` }))
    }),
    Effect.catchTag("HttpClientError", (error) =>
      Effect.fail(new Unreachable({ message: `Could not reach GitHub at ${url}: ${error.message}` })))
  )
}
