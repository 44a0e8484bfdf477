/**
 * GitHub's error answers and their mapping to the kernel's errors.
 *
 * GitHub answers failures with `{ message, documentation_url, errors? }`. For tools:
 * 401 is `Unauthorized` (the kernel mints a new installation token once and retries), rate
 * limits (see `tools/RateLimits.ts`) are `RateLimited` with the wait, any other 403 is
 * `Forbidden` naming the App permissions GitHub says it wanted (`x-accepted-github-permissions`),
 * 404 is `NotFound` (GitHub also answers 404 for private things the installation cannot see),
 * 409 and 422 are `InvalidInput` with GitHub's field errors, 5xx is `VendorError`.
 */
import { Option, Schema } from "effect"
import { InstallError, ToolError } from "../../kernel/domain/Errors.ts"
import type { RestAnswer } from "./GitHubHttp.ts"
import { nullable } from "../../kernel/provider/Vendor.ts"
import type { RateLimit } from "./tools/RateLimits.ts"

const FieldError = Schema.Union([
  Schema.Struct({
    resource: nullable(Schema.String),
    field: nullable(Schema.String),
    code: nullable(Schema.String),
    message: nullable(Schema.String)
  }),
  Schema.String
])

export const ErrorBody = Schema.Struct({
  message: nullable(Schema.String),
  documentation_url: nullable(Schema.String),
  errors: nullable(Schema.Array(FieldError))
})

const decodeErrorBody = Schema.decodeUnknownOption(Schema.fromJsonString(ErrorBody))

export interface Failure {
  readonly message: string
  readonly details: ReadonlyArray<string>
}

/** GitHub's message and field errors, or the status when the body says nothing readable. */
export const failureOf = (answer: RestAnswer): Failure =>
  Option.match(decodeErrorBody(answer.text), {
    onNone: () => ({ message: `HTTP ${answer.status}`, details: [] }),
    onSome: (body) => ({
      message: body.message ?? `HTTP ${answer.status}`,
      details: (body.errors ?? []).map((entry) =>
        typeof entry === "string"
          ? entry
          : entry.message ?? [entry.resource, entry.field, entry.code].filter((part) => part !== undefined && part !== null).join(" ")
      ).filter((detail) => detail.length > 0)
    })
  })

const describe = (failure: Failure): string =>
  failure.details.length === 0 ? failure.message : `${failure.message}: ${failure.details.join("; ")}`

export const rateLimitedError = (limit: RateLimit, what: string): ToolError =>
  new ToolError({
    reason: "RateLimited",
    message: `GitHub's ${limit.kind} rate limit stops ${what}; retry in ${limit.retryAfterSeconds}s`,
    retryAfterSeconds: limit.retryAfterSeconds
  })

/** Maps a non-2xx answer that is not a rate limit. `what` reads like "get issue acme/app#1". */
export const toToolError = (answer: RestAnswer, what: string): ToolError => {
  const failure = failureOf(answer)
  const detail = describe(failure)
  const status = answer.status
  if (status === 401) {
    return new ToolError({ reason: "Unauthorized", message: `GitHub rejected the installation token (${detail})` })
  }
  if (status === 403) {
    const wanted = answer.headers["x-accepted-github-permissions"]
    const permissions = wanted === undefined || wanted.length === 0 ? "" : `; the App needs the permission ${wanted}`
    return new ToolError({ reason: "Forbidden", message: `GitHub refused to ${what} (${detail})${permissions}` })
  }
  if (status === 404) {
    return new ToolError({
      reason: "NotFound",
      message: `GitHub found nothing to ${what} (${detail}); check the repository, number or path, and that the ` +
        "App is installed on that repository"
    })
  }
  if (status === 409 || status === 422) {
    return new ToolError({ reason: "InvalidInput", message: `GitHub could not ${what} (${detail})` })
  }
  if (status >= 500) {
    return new ToolError({ reason: "VendorError", message: `GitHub failed to ${what} (${detail}); try again later` })
  }
  return new ToolError({ reason: "VendorError", message: `GitHub answered HTTP ${status} to ${what} (${detail})` })
}

const installError = (reason: InstallError["reason"], message: string) => new InstallError({ reason, message })

/** Maps a failed App endpoint answer during an install, a registration or a token mint. */
export const toInstallError = (answer: RestAnswer, what: string): InstallError => {
  const detail = describe(failureOf(answer))
  if (answer.status === 401) {
    return installError(
      "InvalidCredentials",
      `GitHub rejected the App's credentials while trying to ${what} (${detail}); check the App id and private key`
    )
  }
  if (answer.status === 429 || answer.status >= 500 || (answer.status === 403 && /rate limit/i.test(detail))) {
    return installError("VendorUnavailable", `GitHub could not ${what} right now (${detail})`)
  }
  return installError("VendorRejected", `GitHub refused to ${what} (${detail})`)
}
