/**
 * The fake Linear's test controls over HTTP, under `/_fake/...`, for out-of-process tests and
 * the dev sandbox (see the table in `FakeLinear.ts`). Unauthenticated: test tooling only.
 */
import { Schema } from "effect"
import { queryOf, tokenControls, withBody } from "../../kit/FakeControls.ts"
import { json } from "../../kit/FakeResponses.ts"
import type { Route } from "../../kit/FakeRouting.ts"
import type { FakeLinearControl } from "./FakeLinearControl.ts"

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

export const controlRoutes = (control: FakeLinearControl): ReadonlyArray<Route> => [
  ["POST", "/_fake/issues", withBody(SeedIssueBody, (seed) => json(201, control.seedIssue(seed)))],
  ["GET", "/_fake/comments", (match) => json(200, control.comments(queryOf(match, "issueId")))],
  ["POST", "/_fake/agent-sessions", withBody(SessionBody, (options) => json(201, control.startAgentSession(options)))],
  ["GET", "/_fake/activities", (match) => json(200, control.activities(queryOf(match, "agentSessionId")))],
  ...tokenControls(control),
  ["POST", "/_fake/tokens", withBody(MintBody, (options) =>
    json(201, control.mintTokens({ scopes: options.scopes, expiresInSeconds: options.expiresInSeconds ?? undefined })))],
  ["POST", "/_fake/tokens/revoke", withBody(TokenBody, ({ token }) => json(200, { found: control.revokeToken(token) }))],
  ["POST", "/_fake/tokens/expire", withBody(TokenBody, ({ token }) => json(200, { found: control.expireToken(token) }))],
  ["POST", "/_fake/rate-limit", withBody(RateLimitBody, (limit) => {
    control.setRateLimited(limit.on && {
      retryAfterSeconds: limit.retryAfterSeconds ?? null,
      resetInSeconds: limit.resetInSeconds ?? 60,
      status: limit.status ?? 400,
      budget: limit.budget ?? "requests"
    })
    return json(200, { on: limit.on })
  })],
  ["GET", "/_fake/state", () =>
    json(200, {
      clientId: control.clientId,
      organization: control.organization,
      appUser: control.appUser,
      issues: control.state.issues.size,
      comments: control.state.comments.length,
      agentSessions: control.state.agentSessions.size,
      agentActivities: control.state.agentActivities.length,
      rateLimited: control.state.rateLimit !== null
    })]
]
