/**
 * Jira's REST error answers and their mapping to the kernel's `ToolError` reasons.
 *
 * Jira answers failures with `{ errorMessages: [...], errors: { field: message } }` and a status
 * that says what went wrong: 400 the input (a bad JQL query, an unknown field), 401 the token
 * (expired or revoked: the kernel refreshes once and retries), 403 the permission or the scope,
 * 404 an issue that does not exist or is not visible, 429 the rate limit with `Retry-After`
 * (seconds), 5xx Jira itself (a 503 with `Retry-After` is a rate limit in all but name).
 */
import { Option, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"

export const ErrorBody = Schema.Struct({
  errorMessages: nullable(Schema.Array(Schema.String)),
  errors: nullable(Schema.Record(Schema.String, Schema.String)),
  message: nullable(Schema.String)
})

/** When Jira says nothing about how long to wait. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30

export interface FailedResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
  /** What was being done, for the message: "get issue ENG-1". */
  readonly what: string
}

const detailOf = (body: string): string => {
  const decoded = Schema.decodeUnknownOption(Schema.fromJsonString(ErrorBody))(body)
  if (Option.isNone(decoded)) return ""
  const { errorMessages, errors, message } = decoded.value
  const parts = [
    ...(errorMessages ?? []),
    ...Object.entries(errors ?? {}).map(([field, text]) => `${field}: ${text}`),
    ...(message === undefined || message === null ? [] : [message])
  ]
  return parts.join("; ").slice(0, 500)
}

/** `Retry-After` in seconds (Jira sends seconds); at least 1. */
export const retryAfterSeconds = (headers: FailedResponse["headers"]): Option.Option<number> =>
  Option.fromNullishOr(headers["retry-after"]).pipe(
    Option.map((value) => Number(value.trim())),
    Option.filter((seconds) => Number.isFinite(seconds) && seconds >= 0),
    Option.map((seconds) => Math.max(1, Math.ceil(seconds)))
  )

export const toToolError = (failure: FailedResponse): ToolError => {
  const detail = detailOf(failure.body)
  const said = detail.length > 0 ? `: ${detail}` : ""
  const retry = retryAfterSeconds(failure.headers)
  const { status, what } = failure
  if (status === 429 || (status === 503 && Option.isSome(retry))) {
    const wait = Option.getOrElse(retry, () => DEFAULT_RETRY_AFTER_SECONDS)
    return new ToolError({ reason: "RateLimited", message: `Jira rate limit reached (${what}); retry in ${wait}s`, retryAfterSeconds: wait })
  }
  if (status === 401) {
    return new ToolError({ reason: "Unauthorized", message: `Jira rejected the credentials (${what})${said}; the installation may need to be reconnected` })
  }
  if (status === 403) {
    return new ToolError({ reason: "Forbidden", message: `Jira refused to ${what}${said}; the agent's account may lack the permission or the app the scope` })
  }
  if (status === 404) return new ToolError({ reason: "NotFound", message: `Jira could not find it (${what})${said}` })
  if (status >= 400 && status < 500) return new ToolError({ reason: "InvalidInput", message: `Jira rejected the input (${what})${said}` })
  return new ToolError({ reason: "VendorError", message: `Jira failed (${what}, HTTP ${status})${said}; try again later` })
}
