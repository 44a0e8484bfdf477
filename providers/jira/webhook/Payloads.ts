/**
 * Jira webhook payloads (admin webhooks, REST v2 shapes), only what the decisions read: structs
 * ignore the rest, so the fields Jira adds over time change nothing. No payload names its site:
 * the site is the host of the `self` URLs it carries (`https://acme.atlassian.net/rest/api/2/...`).
 */
import { Schema } from "effect"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { JiraText } from "../client/JiraAdf.ts"

const Linked = nullable(Schema.Struct({ self: nullable(Schema.String) }))

/** What the kernel reads before the acknowledgement: the event's name and the URLs naming the site. */
export const Envelope = Schema.Struct({ webhookEvent: Schema.optional(Schema.String), issue: Linked, comment: Linked, user: Linked })

export const User = Schema.Struct({ accountId: nullable(Schema.String), displayName: nullable(Schema.String) })

export const Issue = Schema.Struct({
  id: Schema.String,
  key: Schema.String,
  self: nullable(Schema.String),
  fields: nullable(Schema.Struct({
    summary: nullable(Schema.String),
    description: Schema.optional(JiraText),
    project: nullable(Schema.Struct({ id: Schema.String, key: Schema.String })),
    status: nullable(Schema.Struct({ name: nullable(Schema.String) })),
    assignee: nullable(User)
  }))
})
export type Issue = typeof Issue.Type

/** One changed field. Its `toString` is left out: a struct key so named would read `Object.prototype.toString`. */
const Change = Schema.Struct({ field: Schema.String, fieldId: nullable(Schema.String), from: nullable(Schema.String), to: nullable(Schema.String) })

/** `jira:issue_created` and `jira:issue_updated`; the changelog tells an assignment from any other edit. */
export const IssueChanged = Schema.Struct({ user: nullable(User), issue: Issue, changelog: nullable(Schema.Struct({ items: Schema.Array(Change) })) })

export const CommentCreated = Schema.Struct({
  issue: Issue,
  comment: Schema.Struct({ id: Schema.String, author: nullable(User), body: Schema.optional(JiraText) })
})
