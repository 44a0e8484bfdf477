/**
 * Linear's data-change webhooks this provider acts on, for workspaces that do not use agent
 * sessions: `Issue` (create, update) to see the app user being assigned or unassigned, and
 * `Comment.create` to see it mentioned. Every data-change payload carries `action`, `type`,
 * `actor` (who made the change), `data` (the entity after the change) and, on updates,
 * `updatedFrom`: the previous values of exactly the fields that changed, so a key that is
 * present, even with `null`, means that field changed.
 */
import { Schema } from "effect"
import { Issue, Team, User } from "./LinearSessionEvents.ts"
import { nullable } from "./LinearSchema.ts"

export const Actor = Schema.Struct({
  id: nullable(Schema.String),
  name: nullable(Schema.String),
  /** `user`, `oauthClient`, `integration` ... */
  type: nullable(Schema.String)
})
export type Actor = typeof Actor.Type

export const IssueData = Schema.Struct({
  ...Issue.fields,
  assigneeId: nullable(Schema.String),
  assignee: nullable(User),
  creatorId: nullable(Schema.String)
})
export type IssueData = typeof IssueData.Type

export const IssueChanged = Schema.Struct({
  type: Schema.Literal("Issue"),
  action: Schema.Literals(["create", "update"]),
  organizationId: Schema.String,
  actor: nullable(Actor),
  data: IssueData,
  updatedFrom: nullable(Schema.Record(Schema.String, Schema.Unknown)),
  url: nullable(Schema.String)
})
export type IssueChanged = typeof IssueChanged.Type

/** The issue as a comment's payload names it: sometimes whole, sometimes only its id. */
export const CommentIssue = Schema.Struct({
  id: Schema.String,
  identifier: nullable(Schema.String),
  title: nullable(Schema.String),
  url: nullable(Schema.String),
  teamId: nullable(Schema.String),
  team: nullable(Team)
})

export const CommentData = Schema.Struct({
  id: Schema.String,
  body: nullable(Schema.String),
  /** The rich-text document (ProseMirror JSON as a string); mentions carry the user's id here. */
  bodyData: nullable(Schema.String),
  issueId: nullable(Schema.String),
  issue: nullable(CommentIssue),
  userId: nullable(Schema.String),
  user: nullable(User),
  parentId: nullable(Schema.String)
})
export type CommentData = typeof CommentData.Type

export const CommentCreated = Schema.Struct({
  type: Schema.Literal("Comment"),
  action: Schema.Literal("create"),
  organizationId: Schema.String,
  actor: nullable(Actor),
  data: CommentData,
  url: nullable(Schema.String)
})
export type CommentCreated = typeof CommentCreated.Type

export const OAuthAppRevoked = Schema.Struct({
  type: Schema.Literal("OAuthApp"),
  action: Schema.Literal("revoked"),
  organizationId: Schema.String,
  oauthClientId: nullable(Schema.String)
})
