/**
 * Linear's data-change webhooks this provider acts on, for workspaces that do not use agent
 * sessions: `Issue` (create, update) to see the app user being assigned or unassigned, and
 * `Comment.create` to see it mentioned; and `OAuthApp.revoked`. Every data-change payload carries
 * `action`, `type`, `actor` (who made the change), `data` (the entity after the change) and, on
 * updates, `updatedFrom`: the previous values of exactly the fields that changed, so a key that
 * is present, even with `null`, means that field changed.
 */
import { Schema } from "effect"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { Issue, User } from "./SessionEvents.ts"

const dataEventFields = {
  organizationId: Schema.String,
  /** Who made the change: a `user`, an `oauthClient`, an `integration` ... */
  actor: nullable(Schema.Struct({ id: nullable(Schema.String), name: nullable(Schema.String) })),
  url: nullable(Schema.String)
}

export const IssueChanged = Schema.Struct({
  ...dataEventFields,
  type: Schema.Literal("Issue"),
  action: Schema.Literals(["create", "update"]),
  data: Schema.Struct({ ...Issue.fields, assigneeId: nullable(Schema.String) }),
  updatedFrom: nullable(Schema.Record(Schema.String, Schema.Unknown))
})
export type IssueChanged = typeof IssueChanged.Type

export const CommentCreated = Schema.Struct({
  ...dataEventFields,
  type: Schema.Literal("Comment"),
  action: Schema.Literal("create"),
  data: Schema.Struct({
    id: Schema.String,
    body: nullable(Schema.String),
    /** The rich-text document (ProseMirror JSON as a string); mentions carry the user's id here. */
    /** The issue, sometimes whole, sometimes only its id. */
    issueId: nullable(Schema.String),
    issue: nullable(Issue),
    userId: nullable(Schema.String),
    user: nullable(User),
    parentId: nullable(Schema.String)
  })
})
export type CommentCreated = typeof CommentCreated.Type

export const OAuthAppRevoked = Schema.Struct({
  type: Schema.Literal("OAuthApp"),
  action: Schema.Literal("revoked"),
  organizationId: Schema.String
})
