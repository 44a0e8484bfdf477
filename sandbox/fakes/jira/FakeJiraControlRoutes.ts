/**
 * The fake Jira's test controls over HTTP, under `/_fake/...`, for out-of-process tests and the
 * dev sandbox (see the table in `FakeJira.ts`). Unauthenticated: test tooling only.
 */
import { Option, Schema } from "effect"
import { json, readJsonBody } from "../../kit/FakeVendor.ts"
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
const SwitchBody = Schema.Struct({ on: Schema.Boolean })

const badRequest = (route: string) => json(400, { error: `invalid body for ${route}` })

export const controlRoute = async (control: FakeJiraControl, request: Request, path: string): Promise<Response> => {
  const route = `${request.method} ${path}`
  const url = new URL(request.url)
  switch (route) {
    case "GET /_fake/state":
      return json(200, {
        site: { cloudId: control.cloudId, url: siteOf(control.state, url.origin), name: control.state.siteName },
        clientId: control.clientId,
        agent: control.agent,
        human: control.human,
        issues: control.state.issues.size,
        comments: control.state.comments.length
      })
    case "POST /_fake/issues": {
      const body = await readJsonBody(request, SeedIssueBody)
      return Option.match(body, {
        onNone: () => badRequest(route),
        onSome: (seed) => {
          const issue = control.seedIssue(seed)
          return json(201, { ...issue, status: control.statusOf(issue.id) ?? null })
        }
      })
    }
    case "GET /_fake/comments": {
      const issue = url.searchParams.get("issue") ?? undefined
      if (issue !== undefined && control.issue(issue) === undefined) return json(404, { error: `no issue ${issue}` })
      return json(200, control.comments(issue).map(({ authorId, created, id, issueId, text }) => ({ id, issueId, authorId, created, text })))
    }
    case "POST /_fake/comments": {
      const body = await readJsonBody(request, CommentBody)
      return Option.match(body, {
        onNone: () => badRequest(route),
        onSome: ({ authorId, issue, text }) =>
          control.issue(issue) === undefined ? json(404, { error: `no issue ${issue}` }) : json(201, control.addComment(issue, text, authorId))
      })
    }
    case "POST /_fake/tokens/expire-all":
      return json(200, { expired: control.expireAll() })
    case "POST /_fake/tokens/revoke-all":
      return json(200, { revoked: control.revokeAll() })
    case "POST /_fake/rate-limit": {
      const body = await readJsonBody(request, RateLimitBody)
      return Option.match(body, {
        onNone: () => badRequest(route),
        onSome: ({ on, retryAfterSeconds }) => {
          control.setRateLimited(on ? { retryAfterSeconds: retryAfterSeconds ?? 30 } : false)
          return json(200, { on })
        }
      })
    }
    case "POST /_fake/fail-next": {
      const body = await readJsonBody(request, FailBody)
      return Option.match(body, {
        onNone: () => badRequest(route),
        onSome: ({ count, status }) => {
          control.failNext({ status: status ?? 500 }, count ?? 1)
          return json(200, { failing: count ?? 1 })
        }
      })
    }
    case "POST /_fake/auto-approve": {
      const body = await readJsonBody(request, SwitchBody)
      return Option.match(body, {
        onNone: () => badRequest(route),
        onSome: ({ on }) => {
          control.setAutoApprove(on)
          return json(200, { on })
        }
      })
    }
    default:
      return json(404, { error: `no fake control at ${route}` })
  }
}
