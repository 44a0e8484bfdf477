/**
 * A small client for Jira Cloud's REST API v3 over the Effect `HttpClient`, for both ways an
 * installation reaches its site (see `JiraSite.ts`): `<api>/ex/jira/<cloud id>` with the OAuth
 * bearer token, or the site's own URL with Basic auth (the pasted e-mail and API token).
 *
 * Each call names what it does ("add a comment to ENG-1") for error messages, decodes the answer
 * with a Schema, and maps every failure to a `ToolError` (`JiraErrors.ts`). It does not retry:
 * creating an issue or a comment is not idempotent, and a rate-limited caller gets
 * `retryAfterSeconds` to decide for itself.
 *
 * Calls to a pasted site (Basic auth: the site URL came from an admin's paste) go through the
 * kernel's `confine`: each request is checked against JIRA_SITE_HOSTS again (the allowlist may
 * have narrowed since the install) and a redirect is refused, never followed.
 */
import { Duration, Effect, Option, Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { confine } from "../../../kernel/provider/PastedUrl.ts"
import type { PublicationContext } from "../../../kernel/provider/PublicationContext.ts"
import * as JiraErrors from "./JiraErrors.ts"
import { META, metadataOf } from "./JiraSite.ts"

export type JiraAuth =
  | { readonly _tag: "Bearer"; readonly token: Redacted.Redacted<string> }
  | { readonly _tag: "Basic"; readonly email: Redacted.Redacted<string>; readonly token: Redacted.Redacted<string> }

export interface JiraAccess {
  /** `<api>/ex/jira/<cloud id>` or `https://<site>.atlassian.net`, no trailing slash. Basic auth means a pasted site. */
  readonly baseUrl: string
  readonly auth: JiraAuth
}

export interface JiraRequest {
  readonly method: "GET" | "POST" | "PUT"
  /** `/rest/api/3/...` */
  readonly path: string
  readonly query?: Readonly<Record<string, string>> | undefined
  readonly body?: Schema.Json | undefined
  /** What the call does, for messages: "get issue ENG-1". */
  readonly what: string
}

export interface JiraClient {
  /** How this publication's installation reaches its site. */
  readonly access: (context: PublicationContext) => Effect.Effect<JiraAccess, ToolError>
  /** A call whose answer is JSON, decoded with `schema`. */
  readonly request: <A>(
    access: JiraAccess,
    request: JiraRequest,
    schema: Schema.Codec<A, unknown>
  ) => Effect.Effect<A, ToolError, HttpClient.HttpClient>
  /** A call Jira answers with 204 No Content (updates, transitions, assignments). */
  readonly send: (access: JiraAccess, request: JiraRequest) => Effect.Effect<void, ToolError, HttpClient.HttpClient>
  /** `access` then `request`. */
  readonly call: <A>(
    context: PublicationContext,
    request: JiraRequest,
    schema: Schema.Codec<A, unknown>
  ) => Effect.Effect<A, ToolError, HttpClient.HttpClient>
}

/** Long enough for a slow JQL search, short enough that an agent is not left hanging. */
export const REQUEST_TIMEOUT = Duration.seconds(30)

const vendorError = (message: string) => new ToolError({ reason: "VendorError", message })

const builders = { GET: HttpClientRequest.get, POST: HttpClientRequest.post, PUT: HttpClientRequest.put } as const

const authorize = (auth: JiraAuth) => (request: HttpClientRequest.HttpClientRequest) =>
  auth._tag === "Bearer"
    ? HttpClientRequest.bearerToken(request, auth.token)
    : HttpClientRequest.basicAuth(request, auth.email, auth.token)

/** `siteHosts`: JIRA_SITE_HOSTS, which every call to a pasted site is held to. */
export const make = (apiUrl: string, siteHosts: ReadonlyArray<string>): JiraClient => {
  const pastedSite = confine(siteHosts)

  const access = (context: PublicationContext): Effect.Effect<JiraAccess, ToolError> => {
    const { installation, tokens } = context
    const type = metadataOf(installation, META.authType)
    if (Option.contains(type, "basic")) {
      const site = metadataOf(installation, META.siteUrl)
      const email = Option.fromNullishOr(tokens.extra["email"])
      if (Option.isSome(site) && Option.isSome(email)) {
        return Effect.succeed({ baseUrl: site.value, auth: { _tag: "Basic", email: email.value, token: tokens.accessToken } })
      }
    } else {
      const cloudId = metadataOf(installation, META.cloudId)
      if (Option.isSome(cloudId)) {
        return Effect.succeed({
          baseUrl: `${apiUrl}/ex/jira/${encodeURIComponent(cloudId.value)}`,
          auth: { _tag: "Bearer", token: context.accessToken }
        })
      }
    }
    return Effect.fail(new ToolError({ reason: "Unauthorized", message: "This Jira installation does not record how to reach its site; reinstall it" }))
  }

  /** The answer's text, or the ToolError its status means. */
  const exchange = Effect.fn("JiraClient.exchange")(function*(target: JiraAccess, spec: JiraRequest) {
    yield* Effect.annotateCurrentSpan({ "jira.call": spec.what })
    const url = `${target.baseUrl}${spec.path}`
    const prepared = builders[spec.method](url).pipe(
      authorize(target.auth),
      HttpClientRequest.acceptJson,
      (built) => spec.query === undefined ? built : HttpClientRequest.setUrlParams(built, spec.query),
      (built) => spec.body === undefined ? built : HttpClientRequest.bodyJsonUnsafe(built, spec.body)
    )
    const client = yield* HttpClient.HttpClient
    const execute = target.auth._tag === "Basic"
      ? pastedSite(client).execute(prepared).pipe(
        Effect.catchTag("PastedUrlRefused", (refused) =>
          Effect.fail(
            refused.reason === "NotAllowed"
              ? new ToolError({ reason: "Unauthorized", message: `This Jira installation's site is not on JIRA_SITE_HOSTS (${spec.what}); reinstall it` })
              : vendorError(`Jira answered with a redirect (HTTP ${refused.status}), which Switchboard does not follow (${spec.what})`)
          ))
      )
      : client.execute(prepared)
    const response = yield* execute.pipe(
      Effect.timeoutOrElse({
        duration: REQUEST_TIMEOUT,
        orElse: () => Effect.fail(vendorError(`Jira did not answer within 30s (${spec.what})`))
      }),
      Effect.catchTag("HttpClientError", (error) => Effect.fail(vendorError(`Could not reach Jira to ${spec.what}: ${error.message}`)))
    )
    const text = yield* response.text.pipe(
      Effect.mapError((error) => vendorError(`Could not read Jira's answer (${spec.what}): ${error.message}`))
    )
    if (response.status < 200 || response.status >= 300) {
      return yield* JiraErrors.toToolError({ status: response.status, headers: response.headers, body: text, what: spec.what })
    }
    return text
  })

  const request = <A>(target: JiraAccess, spec: JiraRequest, schema: Schema.Codec<A, unknown>) =>
    Effect.flatMap(exchange(target, spec), (text) =>
      Schema.decodeUnknownEffect(Schema.fromJsonString(schema))(text).pipe(
        Effect.mapError((error) => vendorError(`Jira's answer has an unexpected shape (${spec.what}): ${error.message}`))
      ))

  return {
    access,
    request,
    send: (target, spec) => Effect.asVoid(exchange(target, spec)),
    call: (context, spec, schema) => Effect.flatMap(access(context), (target) => request(target, spec, schema))
  }
}
