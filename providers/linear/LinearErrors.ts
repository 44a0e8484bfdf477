/**
 * Linear's GraphQL error shapes and their mapping to the kernel's `ToolError` reasons.
 *
 * Linear answers failures with `{ errors: [{ message, extensions: { code, type,
 * userPresentableMessage } }] }`, sometimes with HTTP 200, sometimes with 400, 401, 403 or 429.
 * `extensions.code` is the most specific signal, so it decides first (Linear reports RATELIMITED
 * with HTTP 400, not 429); the HTTP status decides when the code is missing or unknown. Rate
 * limits carry, per budget (requests, complexity, endpoint), `X-RateLimit-<budget>-Remaining`
 * and `-Reset` (epoch milliseconds); a `Retry-After` (seconds) wins when a proxy adds one.
 */
import { Option, Schema } from "effect"
import { ToolError } from "../../kernel/domain/Errors.ts"
import { nullable } from "../../kernel/provider/Vendor.ts"

export const GraphQLError = Schema.Struct({
  message: Schema.String,
  extensions: nullable(Schema.Struct({
    code: nullable(Schema.String),
    type: nullable(Schema.String),
    userPresentableMessage: nullable(Schema.String)
  }))
})
export type GraphQLError = typeof GraphQLError.Type

/** The envelope of every GraphQL answer; `data` is decoded per operation afterwards. */
export const GraphQLResponse = Schema.Struct({
  data: Schema.optional(Schema.Unknown),
  errors: nullable(Schema.Array(GraphQLError))
})

/** When nothing says how long to wait, a minute is what Linear's hourly leaky bucket refills. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60

export interface FailedResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly errors: ReadonlyArray<GraphQLError>
  /** Epoch ms, for turning reset timestamps into a wait. */
  readonly now: number
}

const numberHeader = (headers: FailedResponse["headers"], name: string): Option.Option<number> =>
  Option.fromNullishOr(headers[name]).pipe(
    Option.map((value) => Number(value.trim())),
    Option.filter((value) => Number.isFinite(value) && value >= 0)
  )

/** Reset headers are epoch ms; a value that small can only be epoch seconds. */
const secondsUntil = (reset: number, now: number): number => {
  const resetMs = reset < 1e12 ? reset * 1000 : reset
  return Math.max(1, Math.ceil((resetMs - now) / 1000))
}

/** Linear's budgets and the header prefix each reports itself under. */
const BUDGETS = [
  ["requests", "x-ratelimit-requests"],
  ["complexity", "x-ratelimit-complexity"],
  ["endpoint", "x-ratelimit-endpoint-requests"]
] as const

/** The budgets a rate-limited answer says are spent (`X-RateLimit-*-Remaining: 0`). */
export const exhaustedBudgets = (headers: FailedResponse["headers"]): ReadonlyArray<string> =>
  BUDGETS.filter(([, prefix]) => Option.exists(numberHeader(headers, `${prefix}-remaining`), (left) => left <= 0)).map((
    [name]
  ) => name)

const resetOf = (headers: FailedResponse["headers"], budget: string, now: number): Option.Option<number> =>
  Option.flatMap(Option.fromNullishOr(BUDGETS.find(([name]) => name === budget)), ([, prefix]) =>
    numberHeader(headers, `${prefix}-reset`).pipe(Option.map((reset) => secondsUntil(reset, now))))

/**
 * How long until a retry can succeed: `Retry-After` when sent; else the reset of the spent
 * budget (the latest, when several are spent, since all must refill); else any reset Linear
 * sent; else a minute.
 */
export const retryAfterSeconds = (headers: FailedResponse["headers"], now: number): number => {
  const spent = exhaustedBudgets(headers).flatMap((budget) => Option.toArray(resetOf(headers, budget, now)))
  return Option.firstSomeOf([
    numberHeader(headers, "retry-after").pipe(Option.map((seconds) => Math.max(1, Math.ceil(seconds)))),
    spent.length > 0 ? Option.some(Math.max(...spent)) : Option.none(),
    resetOf(headers, "requests", now),
    resetOf(headers, "complexity", now),
    resetOf(headers, "endpoint", now)
  ]).pipe(Option.getOrElse(() => DEFAULT_RETRY_AFTER_SECONDS))
}

type Kind = "auth" | "forbidden" | "ratelimited" | "input" | "server" | "other"

/** Linear's `extensions.code` values; `type` carries the same in lowercase words. */
const kindsByCode: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ["AUTHENTICATION_ERROR", "auth"],
  ["UNAUTHENTICATED", "auth"],
  ["FORBIDDEN", "forbidden"],
  ["FEATURE_NOT_ACCESSIBLE", "forbidden"],
  ["RATELIMITED", "ratelimited"],
  ["INVALID_INPUT", "input"],
  ["BAD_USER_INPUT", "input"],
  ["GRAPHQL_VALIDATION_FAILED", "input"],
  ["GRAPHQL_PARSE_FAILED", "input"],
  ["INTERNAL_SERVER_ERROR", "server"],
  ["INTERNAL_ERROR", "server"],
  ["LOCK_TIMEOUT", "server"]
])

const kindsByType: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ["authentication error", "auth"],
  ["forbidden", "forbidden"],
  ["feature not accessible", "forbidden"],
  ["ratelimited", "ratelimited"],
  ["invalid input", "input"],
  ["internal error", "server"],
  ["lock timeout", "server"]
])

const kindOfStatus = (status: number): Kind =>
  status === 401
    ? "auth"
    : status === 403
    ? "forbidden"
    : status === 429
    ? "ratelimited"
    : status >= 500
    ? "server"
    : status >= 400
    ? "input"
    : "other"

const kindOf = (status: number, error: Option.Option<GraphQLError>): Kind =>
  Option.flatMap(error, (first) =>
    Option.firstSomeOf([
      Option.fromNullishOr(first.extensions?.code).pipe(Option.flatMap((code) => Option.fromNullishOr(kindsByCode.get(code)))),
      Option.fromNullishOr(first.extensions?.type).pipe(
        Option.flatMap((type) => Option.fromNullishOr(kindsByType.get(type.toLowerCase())))
      )
    ])).pipe(Option.getOrElse(() => kindOfStatus(status)))

const describe = (error: Option.Option<GraphQLError>, status: number): string =>
  Option.match(error, {
    onNone: () => `HTTP ${status}`,
    onSome: (first) => {
      const code = first.extensions?.code ?? first.extensions?.type ?? `HTTP ${status}`
      const detail = first.extensions?.userPresentableMessage ?? first.message
      return `${code}: ${detail}`
    }
  })

/** Linear reports a missing entity as invalid input whose message starts with "Entity not found". */
const isNotFound = (error: Option.Option<GraphQLError>): boolean =>
  Option.exists(error, (first) => /^entity not found/i.test(first.message))

export const toToolError = (failure: FailedResponse): ToolError => {
  const first = Option.fromNullishOr(failure.errors[0])
  const detail = describe(first, failure.status)
  switch (kindOf(failure.status, first)) {
    case "auth":
      return new ToolError({
        reason: "Unauthorized",
        message: `Linear rejected the access token (${detail}); the installation may need to be reconnected`
      })
    case "forbidden":
      return new ToolError({
        reason: "Forbidden",
        message: `Linear refused the operation (${detail}); the app may lack the scope or team access it needs`
      })
    case "ratelimited": {
      const wait = retryAfterSeconds(failure.headers, failure.now)
      const spent = exhaustedBudgets(failure.headers)
      const budget = spent.length === 0 ? "" : `, ${spent.join(" and ")} budget spent`
      return new ToolError({
        reason: "RateLimited",
        message: `Linear rate limit reached (${detail}${budget}); retry in ${wait}s`,
        retryAfterSeconds: wait
      })
    }
    case "input":
      return isNotFound(first)
        ? new ToolError({ reason: "NotFound", message: `Linear could not find it (${detail})` })
        : new ToolError({ reason: "InvalidInput", message: `Linear rejected the input (${detail})` })
    case "server":
      return new ToolError({ reason: "VendorError", message: `Linear failed (${detail}); try again later` })
    case "other":
      return new ToolError({ reason: "VendorError", message: `Linear returned an error (${detail})` })
  }
}
