/**
 * The REST resources the tools read (issues, pull requests, comments, labels) as Schema
 * structs, and what a tool answers for each: flat JSON an agent can read, with the author's
 * login and whether it was the agent's own bot. Fields GitHub adds are ignored.
 */
import { Schema } from "effect"
import type { PublicationContext } from "../../../kernel/provider/PublicationContext.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"

export const RestUser = Schema.Struct({ login: Schema.String, id: Schema.Number, type: nullable(Schema.String) })
type RestUser = typeof RestUser.Type

export const RestLabel = Schema.Struct({ name: Schema.String, color: nullable(Schema.String) })

export const RestIssue = Schema.Struct({
  number: Schema.Number,
  title: Schema.String,
  body: nullable(Schema.String),
  state: Schema.String,
  state_reason: nullable(Schema.String),
  html_url: Schema.String,
  user: nullable(RestUser),
  labels: Schema.Array(Schema.Union([RestLabel, Schema.String])),
  assignees: nullable(Schema.Array(RestUser)),
  comments: nullable(Schema.Number),
  pull_request: nullable(Schema.Struct({ html_url: nullable(Schema.String) })),
  repository_url: nullable(Schema.String),
  created_at: nullable(Schema.String),
  updated_at: nullable(Schema.String),
  closed_at: nullable(Schema.String)
})
export type RestIssue = typeof RestIssue.Type

const RestBranch = Schema.Struct({
  ref: Schema.String,
  sha: Schema.String,
  repo: nullable(Schema.Struct({ full_name: Schema.String }))
})

export const RestPullRequest = Schema.Struct({
  number: Schema.Number,
  title: Schema.String,
  body: nullable(Schema.String),
  state: Schema.String,
  draft: nullable(Schema.Boolean),
  merged: nullable(Schema.Boolean),
  mergeable: nullable(Schema.Boolean),
  html_url: Schema.String,
  user: nullable(RestUser),
  labels: nullable(Schema.Array(RestLabel)),
  requested_reviewers: nullable(Schema.Array(RestUser)),
  head: RestBranch,
  base: RestBranch,
  commits: nullable(Schema.Number),
  additions: nullable(Schema.Number),
  deletions: nullable(Schema.Number),
  changed_files: nullable(Schema.Number),
  created_at: nullable(Schema.String),
  updated_at: nullable(Schema.String)
})
export type RestPullRequest = typeof RestPullRequest.Type

export const RestComment = Schema.Struct({
  id: Schema.Number,
  body: nullable(Schema.String),
  html_url: Schema.String,
  user: nullable(RestUser),
  created_at: nullable(Schema.String),
  updated_at: nullable(Schema.String)
})
export type RestComment = typeof RestComment.Type

export const RestRepository = Schema.Struct({ full_name: Schema.String, default_branch: Schema.String })

/** The agent's own bot login, from the installation (to tell its comments apart). */
export const botLoginOf = (context: PublicationContext): string =>
  (context.installation.metadata["botLogin"] ?? "").toLowerCase()

const loginOf = (user: RestUser | null | undefined) => user?.login ?? null

export const labelNames = (labels: ReadonlyArray<typeof RestLabel.Type | string> | null | undefined): Array<string> =>
  (labels ?? []).map((label) => typeof label === "string" ? label : label.name)

/** `https://api.github.com/repos/octo/app` → `octo/app`. */
export const repoOfUrl = (url: string | null | undefined): string | null => {
  const match = /\/repos\/([^/]+)\/([^/]+)\/?$/.exec(url ?? "")
  return match === null ? null : `${match[1]}/${match[2]}`
}

export const toIssueResult = (issue: RestIssue) => ({
  number: issue.number,
  title: issue.title,
  body: issue.body ?? "",
  state: issue.state,
  stateReason: issue.state_reason ?? null,
  isPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
  url: issue.html_url,
  author: loginOf(issue.user),
  labels: labelNames(issue.labels),
  assignees: (issue.assignees ?? []).map((user) => user.login),
  comments: issue.comments ?? 0,
  createdAt: issue.created_at ?? null,
  updatedAt: issue.updated_at ?? null,
  closedAt: issue.closed_at ?? null
})

export const toPullRequestResult = (pull: RestPullRequest) => ({
  number: pull.number,
  title: pull.title,
  body: pull.body ?? "",
  state: pull.state,
  draft: pull.draft ?? false,
  merged: pull.merged ?? false,
  mergeable: pull.mergeable ?? null,
  url: pull.html_url,
  author: loginOf(pull.user),
  labels: labelNames(pull.labels),
  requestedReviewers: (pull.requested_reviewers ?? []).map((user) => user.login),
  head: { ref: pull.head.ref, sha: pull.head.sha, repo: pull.head.repo?.full_name ?? null },
  base: { ref: pull.base.ref, sha: pull.base.sha, repo: pull.base.repo?.full_name ?? null },
  commits: pull.commits ?? null,
  additions: pull.additions ?? null,
  deletions: pull.deletions ?? null,
  changedFiles: pull.changed_files ?? null,
  createdAt: pull.created_at ?? null,
  updatedAt: pull.updated_at ?? null
})

export const toCommentResult = (comment: RestComment, context: PublicationContext) => ({
  id: comment.id,
  author: loginOf(comment.user),
  byAgent: (comment.user?.login ?? "").toLowerCase() === botLoginOf(context),
  body: comment.body ?? "",
  url: comment.html_url,
  createdAt: comment.created_at ?? null,
  updatedAt: comment.updated_at ?? null
})
