/**
 * The parts of GitHub's webhook payloads this provider reads, as Schema structs. GitHub adds
 * fields all the time; structs ignore keys they do not name, and what may be missing or null
 * is `nullable`. Shapes follow GitHub's webhook docs for each event.
 */
import { Schema } from "effect"
import { nullable } from "../../../kernel/provider/Vendor.ts"

export const User = Schema.Struct({
  login: Schema.String,
  id: Schema.Number,
  /** `User`, `Bot`, `Organization`. */
  type: nullable(Schema.String)
})
export type User = typeof User.Type

export const Label = Schema.Struct({ name: Schema.String })

export const Repository = Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  full_name: Schema.String,
  owner: Schema.Struct({ login: Schema.String }),
  html_url: nullable(Schema.String),
  default_branch: nullable(Schema.String)
})
export type Repository = typeof Repository.Type

/** `installation` as every event of an App names it: at least its id. */
export const InstallationRef = Schema.Struct({ id: Schema.Number })

const AppRef = Schema.Struct({ id: Schema.Number, slug: nullable(Schema.String) })

export const Issue = Schema.Struct({
  number: Schema.Number,
  title: Schema.String,
  body: nullable(Schema.String),
  html_url: Schema.String,
  state: nullable(Schema.String),
  user: nullable(User),
  labels: nullable(Schema.Array(Label)),
  /** Present when the issue is a pull request (comments on pull requests come as issue comments). */
  pull_request: nullable(Schema.Struct({ html_url: nullable(Schema.String) }))
})
export type Issue = typeof Issue.Type

const Branch = Schema.Struct({ ref: Schema.String, sha: Schema.String })

export const PullRequest = Schema.Struct({
  number: Schema.Number,
  title: Schema.String,
  body: nullable(Schema.String),
  html_url: Schema.String,
  state: nullable(Schema.String),
  draft: nullable(Schema.Boolean),
  user: nullable(User),
  labels: nullable(Schema.Array(Label)),
  head: Branch,
  base: Branch
})
export type PullRequest = typeof PullRequest.Type

export const Comment = Schema.Struct({
  id: Schema.Number,
  body: nullable(Schema.String),
  html_url: Schema.String,
  user: nullable(User),
  performed_via_github_app: nullable(AppRef)
})

const envelope = {
  action: Schema.String,
  repository: Repository,
  sender: nullable(User),
  installation: nullable(InstallationRef)
}

export const IssuesEvent = Schema.Struct({
  ...envelope,
  issue: Issue,
  assignee: nullable(User),
  label: nullable(Label)
})
export type IssuesEvent = typeof IssuesEvent.Type

export const IssueCommentEvent = Schema.Struct({ ...envelope, issue: Issue, comment: Comment })
export type IssueCommentEvent = typeof IssueCommentEvent.Type

export const PullRequestEvent = Schema.Struct({
  ...envelope,
  pull_request: PullRequest,
  assignee: nullable(User),
  label: nullable(Label),
  requested_reviewer: nullable(User),
  requested_team: nullable(Schema.Struct({ name: Schema.String, slug: nullable(Schema.String) }))
})
export type PullRequestEvent = typeof PullRequestEvent.Type

export const PullRequestReviewEvent = Schema.Struct({
  ...envelope,
  pull_request: PullRequest,
  review: Schema.Struct({
    id: Schema.Number,
    body: nullable(Schema.String),
    /** `commented`, `approved`, `changes_requested`, `dismissed`. */
    state: Schema.String,
    html_url: Schema.String,
    user: nullable(User)
  })
})
export type PullRequestReviewEvent = typeof PullRequestReviewEvent.Type

export const PullRequestReviewCommentEvent = Schema.Struct({
  ...envelope,
  pull_request: PullRequest,
  comment: Schema.Struct({
    ...Comment.fields,
    path: nullable(Schema.String),
    line: nullable(Schema.Number),
    diff_hunk: nullable(Schema.String),
    in_reply_to_id: nullable(Schema.Number)
  })
})
export type PullRequestReviewCommentEvent = typeof PullRequestReviewCommentEvent.Type

export const InstallationEvent = Schema.Struct({
  action: Schema.String,
  installation: Schema.Struct({
    id: Schema.Number,
    app_id: nullable(Schema.Number),
    account: nullable(Schema.Struct({ login: Schema.String }))
  }),
  sender: nullable(User)
})
export type InstallationEvent = typeof InstallationEvent.Type

export const AppAuthorizationEvent = Schema.Struct({ action: Schema.String, sender: nullable(User) })

/**
 * What the kernel reads before the acknowledgement: the action (half of the stored event type),
 * the installation (the account the event belongs to) and a ping's `zen` (its handshake's reply).
 */
export const Envelope = Schema.Struct({
  action: nullable(Schema.String),
  installation: nullable(InstallationRef),
  zen: nullable(Schema.String)
})
export type Envelope = typeof Envelope.Type
