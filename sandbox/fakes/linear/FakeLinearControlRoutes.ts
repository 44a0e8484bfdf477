/**
 * The fake Linear's test controls over HTTP, under `/_fake/...`, for out-of-process tests and
 * the dev sandbox (see the table in `FakeLinear.ts`). Unauthenticated: test tooling only.
 */
import { Option, Schema } from "effect"
import type { FakeLinearControl } from "./FakeLinearControl.ts"
import { json } from "./FakeLinearOAuth.ts"

const optionalNumber = Schema.optional(Schema.NullOr(Schema.Number))
const SeedIssueBody = Schema.Struct({
  id: Schema.optional(Schema.String),
  title: Schema.optional(Schema.String),
  description: Schema.optional(Schema.NullOr(Schema.String)),
  teamId: Schema.optional(Schema.String),
  priority: Schema.optional(Schema.Number),
  stateName: Schema.optional(Schema.String),
  stateType: Schema.optional(Schema.String),
  labels: Schema.optional(Schema.Array(Schema.String))
})
const MintBody = Schema.Struct({ scopes: Schema.optional(Schema.Array(Schema.String)), expiresInSeconds: optionalNumber })
const TokenBody = Schema.Struct({ token: Schema.String })
const RateLimitBody = Schema.Struct({
  on: Schema.Boolean,
  retryAfterSeconds: optionalNumber,
  resetInSeconds: optionalNumber,
  status: optionalNumber,
  budget: Schema.optional(Schema.Literals(["requests", "complexity"]))
})
const SessionBody = Schema.Struct({ id: Schema.optional(Schema.String), issueId: Schema.optional(Schema.String) })
const SwitchBody = Schema.Struct({ on: Schema.Boolean })

const readBody = async <A>(request: Request, schema: Schema.Codec<A, unknown>): Promise<Option.Option<A>> => {
  const text = await request.text()
  return Schema.decodeUnknownOption(Schema.fromJsonString(schema))(text.length === 0 ? "{}" : text)
}

const badRequest = (what: string) => json(400, { error: `invalid body for ${what}` })

export const controlRoute = async (control: FakeLinearControl, request: Request, path: string): Promise<Response> => {
  const route = `${request.method} ${path}`
  switch (route) {
    case "POST /_fake/issues": {
      const body = await readBody(request, SeedIssueBody)
      return Option.match(body, { onNone: () => badRequest(route), onSome: (seed) => json(201, control.seedIssue(seed)) })
    }
    case "GET /_fake/comments":
      return json(200, control.comments(new URL(request.url).searchParams.get("issueId") ?? undefined))
    case "POST /_fake/agent-sessions": {
      const body = await readBody(request, SessionBody)
      return Option.match(body, {
        onNone: () => badRequest(route),
        onSome: (options) => json(201, control.startAgentSession(options))
      })
    }
    case "GET /_fake/activities":
      return json(200, control.activities(new URL(request.url).searchParams.get("agentSessionId") ?? undefined))
    case "POST /_fake/tokens/revoke-all":
      return json(200, { revoked: control.revokeAll() })
    case "POST /_fake/tokens/expire-all":
      return json(200, { expired: control.expireAll() })
    case "POST /_fake/tokens": {
      const body = await readBody(request, MintBody)
      return Option.match(body, {
        onNone: () => badRequest(route),
        onSome: (options) =>
          json(201, control.mintTokens({ scopes: options.scopes, expiresInSeconds: options.expiresInSeconds ?? undefined }))
      })
    }
    case "POST /_fake/tokens/revoke":
    case "POST /_fake/tokens/expire": {
      const body = await readBody(request, TokenBody)
      const act = path.endsWith("revoke") ? control.revokeToken : control.expireToken
      return Option.match(body, { onNone: () => badRequest(route), onSome: ({ token }) => json(200, { found: act(token) }) })
    }
    case "POST /_fake/rate-limit": {
      const body = await readBody(request, RateLimitBody)
      return Option.match(body, {
        onNone: () => badRequest(route),
        onSome: (limit) => {
          control.setRateLimited(limit.on && {
            retryAfterSeconds: limit.retryAfterSeconds ?? null,
            resetInSeconds: limit.resetInSeconds ?? 60,
            status: limit.status ?? 400,
            budget: limit.budget ?? "requests"
          })
          return json(200, { on: limit.on })
        }
      })
    }
    case "POST /_fake/auto-approve": {
      const body = await readBody(request, SwitchBody)
      return Option.match(body, {
        onNone: () => badRequest(route),
        onSome: ({ on }) => {
          control.setAutoApprove(on)
          return json(200, { on })
        }
      })
    }
    case "GET /_fake/state":
      return json(200, {
        clientId: control.clientId,
        organization: control.organization,
        appUser: control.appUser,
        issues: control.state.issues.size,
        comments: control.state.comments.length,
        agentSessions: control.state.agentSessions.size,
        agentActivities: control.state.agentActivities.length,
        rateLimited: control.state.rateLimit !== null
      })
    default:
      return json(404, { error: `no fake control at ${route}` })
  }
}

