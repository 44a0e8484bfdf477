/**
 * How the fake Slack's Web API reads a request and answers, as Slack does: the token from
 * `Authorization: Bearer` (or a `token` form field), arguments from a form body, the query
 * string, or a JSON body (only for the methods Slack documents as accepting JSON; elsewhere a
 * JSON body is not read, so the method sees no arguments), answers `{ ok, ... }` with HTTP 200
 * and the `X-OAuth-Scopes` / `X-Accepted-OAuth-Scopes` headers, and rate limits as HTTP 429 with
 * `Retry-After` or as `ok: false, error: "ratelimited"`. Every call is logged.
 */
import type { Schema } from "effect"
import { bearerOf } from "../../kit/FakeCredentials.ts"
import type { Invalid } from "../../kit/FakeGrants.ts"
import { jsonAs } from "../../kit/FakeResponses.ts"
import { type FakeAccessToken, type FakeSlackState, grantsOf } from "./FakeSlackState.ts"

export const json = jsonAs("application/json; charset=utf-8")

/** Methods Slack documents with `application/json` among their content types. */
export const JSON_METHODS: ReadonlySet<string> = new Set([
  "chat.postMessage",
  "chat.update",
  "reactions.add",
  "reactions.remove",
  "oauth.v2.access",
  "files.completeUploadExternal"
])

export class Arguments {
  constructor(private readonly values: ReadonlyMap<string, unknown>) {}

  string(name: string): string | undefined {
    const value = this.values.get(name)
    if (typeof value === "string") return value.length > 0 ? value : undefined
    if (typeof value === "number" || typeof value === "boolean") return String(value)
    return undefined
  }

  boolean(name: string): boolean {
    const value = this.values.get(name)
    return value === true || value === "true" || value === "1" || value === 1
  }

  number(name: string): number | undefined {
    const text = this.string(name)
    const value = text === undefined ? Number.NaN : Number(text)
    return Number.isFinite(value) ? value : undefined
  }

  /** A structured argument: as sent in JSON, or JSON-encoded in a form field. */
  structured(name: string): unknown {
    const value = this.values.get(name)
    if (typeof value !== "string") return value
    try {
      const parsed: unknown = JSON.parse(value)
      return parsed
    } catch {
      return Symbol.for("invalid")
    }
  }
}

export interface ParsedCall {
  readonly method: string
  readonly token: string | null
  readonly args: Arguments
  readonly encoding: "json" | "form" | "none"
}

const objectEntries = (value: unknown): Array<[string, unknown]> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : []

export const parseCall = async (method: string, request: Request): Promise<ParsedCall> => {
  const values = new Map<string, unknown>(new URL(request.url).searchParams.entries())
  const contentType = request.headers.get("content-type") ?? ""
  let encoding: ParsedCall["encoding"] = "none"
  if (request.method === "POST" && contentType.startsWith("application/json")) {
    encoding = "json"
    const text = await request.text()
    if (JSON_METHODS.has(method)) {
      try {
        for (const [key, value] of objectEntries(JSON.parse(text))) values.set(key, value)
      } catch {
        values.set("__invalid_json", true)
      }
    }
  } else if (request.method === "POST" && contentType.startsWith("application/x-www-form-urlencoded")) {
    encoding = "form"
    for (const [key, value] of new URLSearchParams(await request.text())) values.set(key, value)
  }
  const bearer = bearerOf(request)
  const formToken = values.get("token")
  return {
    method,
    token: bearer ?? (typeof formToken === "string" && formToken.length > 0 ? formToken : null),
    args: new Arguments(values),
    encoding
  }
}

export type Answer =
  | { readonly _tag: "Ok"; readonly body: Record<string, Schema.Json> }
  | { readonly _tag: "Error"; readonly error: string; readonly extra?: Record<string, Schema.Json> }

export const ok = (body: Record<string, Schema.Json> = {}): Answer => ({ _tag: "Ok", body })
export const fail = (error: string, extra?: Record<string, Schema.Json>): Answer =>
  extra === undefined ? { _tag: "Error", error } : { _tag: "Error", error, extra }

/** The token behind a call, or Slack's error for it. */
const AUTH_ERRORS: Readonly<Record<Invalid, string>> = {
  missing: "not_authed",
  unknown: "invalid_auth",
  revoked: "token_revoked",
  expired: "token_expired",
  used: "invalid_auth"
}

export const authenticate = (state: FakeSlackState, call: ParsedCall): FakeAccessToken | Answer => {
  const checked = grantsOf(state).check(call.token)
  return checked._tag === "Valid" ? checked.entry : fail(AUTH_ERRORS[checked.reason])
}

export const isAnswer = (value: FakeAccessToken | Answer): value is Answer => "_tag" in value

/** Slack's `missing_scope` answer when the token lacks `needed`. */
export const requireScope = (token: FakeAccessToken, needed: string): Answer | null =>
  token.scopes.includes(needed) ? null : fail("missing_scope", { needed, provided: token.scopes.join(",") })

export const respond = (
  state: FakeSlackState,
  call: ParsedCall,
  answer: Answer,
  scopes: { readonly granted: ReadonlyArray<string>; readonly accepted: ReadonlyArray<string> }
): Response => {
  const status = 200
  state.calls.push({ method: call.method, status, error: answer._tag === "Error" ? answer.error : null, encoding: call.encoding })
  const headers = { "x-oauth-scopes": scopes.granted.join(","), "x-accepted-oauth-scopes": scopes.accepted.join(",") }
  return answer._tag === "Ok"
    ? json(status, { ok: true, ...answer.body }, headers)
    : json(status, { ok: false, error: answer.error, ...answer.extra }, headers)
}

/** The forced rate limit for this method, answered as configured; null when none applies. */
export const rateLimited = (state: FakeSlackState, call: ParsedCall): Response | null => {
  const limit = state.rateLimit
  if (limit === null || (limit.methods !== null && !limit.methods.includes(call.method))) return null
  if (limit.mode === "ratelimited") {
    state.calls.push({ method: call.method, status: 200, error: "ratelimited", encoding: call.encoding })
    return json(200, { ok: false, error: "ratelimited" })
  }
  state.calls.push({ method: call.method, status: 429, error: "ratelimited", encoding: call.encoding })
  return json(429, { ok: false, error: "ratelimited" }, { "retry-after": String(limit.retryAfterSeconds) })
}
