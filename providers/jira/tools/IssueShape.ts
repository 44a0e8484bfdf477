/**
 * Jira's issue as the REST API answers it (v3: rich text as ADF), and the flat shape the tools
 * hand the agent: keys and names instead of nested objects, rich text as plain text.
 */
import { Option, Schema } from "effect"
import type { PublicationContext } from "../../../kernel/provider/PublicationContext.ts"
import { JiraText, toText } from "../client/JiraAdf.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { META, metadataOf } from "../client/JiraSite.ts"

export const Person = Schema.Struct({ accountId: Schema.String, displayName: nullable(Schema.String) })

const Named = Schema.Struct({ name: Schema.String })

export const Status = Schema.Struct({
  name: Schema.String,
  statusCategory: nullable(Schema.Struct({ key: nullable(Schema.String), name: nullable(Schema.String) }))
})

export const RestComment = Schema.Struct({
  id: Schema.String,
  author: nullable(Person),
  body: Schema.optional(JiraText),
  created: nullable(Schema.String)
})

export const RestIssue = Schema.Struct({
  id: Schema.String,
  key: Schema.String,
  fields: Schema.Struct({
    summary: nullable(Schema.String),
    description: Schema.optional(JiraText),
    status: nullable(Status),
    assignee: nullable(Person),
    reporter: nullable(Person),
    priority: nullable(Named),
    labels: nullable(Schema.Array(Schema.String)),
    issuetype: nullable(Named),
    project: nullable(Schema.Struct({ key: Schema.String, name: nullable(Schema.String) })),
    created: nullable(Schema.String),
    updated: nullable(Schema.String),
    duedate: nullable(Schema.String),
    comment: nullable(Schema.Struct({ comments: Schema.Array(RestComment), total: nullable(Schema.Number) }))
  })
})
export type RestIssue = typeof RestIssue.Type

/** The fields the tools ask for: enough to act on, without the site's custom fields. */
export const FIELDS = ["summary", "description", "status", "assignee", "reporter", "priority", "labels", "issuetype", "project", "created", "updated", "duedate"]

export const browseUrl = (context: PublicationContext, key: string): string | null =>
  Option.match(metadataOf(context.installation, META.siteUrl), {
    onNone: () => null,
    onSome: (site) => `${site}/browse/${encodeURIComponent(key)}`
  })

const person = (value: typeof Person.Type | null | undefined) =>
  value === undefined || value === null ? null : { accountId: value.accountId, displayName: value.displayName ?? null }

/** How many comments `get_issue` shows (the newest). */
export const COMMENTS_SHOWN = 10

export const shape = (issue: RestIssue, context: PublicationContext, options: { readonly description: boolean } = { description: true }) => {
  const { fields } = issue
  const agent = metadataOf(context.installation, META.accountId)
  const comments = fields.comment?.comments.slice(-COMMENTS_SHOWN).map((comment) => ({
    id: comment.id,
    author: person(comment.author),
    byAgent: Option.contains(agent, comment.author?.accountId ?? ""),
    body: toText(comment.body),
    created: comment.created ?? null
  }))
  return {
    id: issue.id,
    key: issue.key,
    url: browseUrl(context, issue.key),
    summary: fields.summary ?? null,
    ...(options.description ? { description: toText(fields.description) } : {}),
    status: fields.status?.name ?? null,
    statusCategory: fields.status?.statusCategory?.name ?? null,
    type: fields.issuetype?.name ?? null,
    priority: fields.priority?.name ?? null,
    project: fields.project?.key ?? null,
    assignee: person(fields.assignee),
    reporter: person(fields.reporter),
    labels: [...(fields.labels ?? [])],
    dueDate: fields.duedate ?? null,
    created: fields.created ?? null,
    updated: fields.updated ?? null,
    ...(comments === undefined ? {} : { comments, commentCount: fields.comment?.total ?? comments.length })
  }
}
