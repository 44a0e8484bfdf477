/**
 * The fake Jira's test controls over HTTP, under `/_fake/...`, for out-of-process tests and the
 * dev sandbox (see the table in `FakeJira.ts`). Unauthenticated: test tooling only.
 */
import { Schema } from "effect"
import { queryOf, tokenControls, withBody } from "../../kit/FakeControls.ts"
import { json } from "../../kit/FakeResponses.ts"
import type { Route } from "../../kit/FakeRouting.ts"
import type { FakeJiraControl } from "./FakeJiraControl.ts"
import { siteOf } from "./FakeJiraData.ts"

const SeedIssueBody = Schema.Struct({
  project: Schema.optional(Schema.String),
  summary: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  assigneeId: Schema.optional(Schema.NullOr(Schema.String)),
  labels: Schema.optional(Schema.Array(Schema.String)),
  status: Schema.optional(Schema.String)
})
const CommentBody = Schema.Struct({ issue: Schema.String, text: Schema.String, authorId: Schema.optional(Schema.String) })
const RateLimitBody = Schema.Struct({ on: Schema.Boolean, retryAfterSeconds: Schema.optional(Schema.Number) })
const FailBody = Schema.Struct({ status: Schema.optional(Schema.Number), count: Schema.optional(Schema.Number) })

export const controlRoutes = (control: FakeJiraControl): ReadonlyArray<Route> => [
  ["GET", "/_fake/state", ({ url }) =>
    json(200, {
      site: { cloudId: control.cloudId, url: siteOf(control.state, url.origin), name: control.state.siteName },
      clientId: control.clientId,
      agent: control.agent,
      human: control.human,
      issues: control.state.issues.size,
      comments: control.state.comments.length
    })],
  ["POST", "/_fake/issues", withBody(SeedIssueBody, (seed) => {
    const issue = control.seedIssue(seed)
    return json(201, { ...issue, status: control.statusOf(issue.id) ?? null })
  })],
  ["GET", "/_fake/comments", (match) => {
    const issue = queryOf(match, "issue")
    if (issue !== undefined && control.issue(issue) === undefined) return json(404, { error: `no issue ${issue}` })
    return json(200, control.comments(issue).map(({ authorId, created, id, issueId, text }) => ({ id, issueId, authorId, created, text })))
  }],
  ["POST", "/_fake/comments", withBody(CommentBody, ({ authorId, issue, text }) =>
    control.issue(issue) === undefined ? json(404, { error: `no issue ${issue}` }) : json(201, control.addComment(issue, text, authorId)))],
  ...tokenControls(control),
  ["POST", "/_fake/rate-limit", withBody(RateLimitBody, ({ on, retryAfterSeconds }) => {
    control.setRateLimited(on ? { retryAfterSeconds: retryAfterSeconds ?? 30 } : false)
    return json(200, { on })
  })],
  ["POST", "/_fake/fail-next", withBody(FailBody, ({ count, status }) => {
    control.failNext({ status: status ?? 500 }, count ?? 1)
    return json(200, { failing: count ?? 1 })
  })]
]
