/**
 * Jira webhook payloads (admin webhooks; REST v2 shapes) and `classify`, which turns a parsed
 * body into a `JiraEvent` tagged union.
 *
 * Jira adds fields over time and sends many events we do not handle, so structs ignore unknown
 * keys and an unknown `webhookEvent` becomes `Unhandled` rather than an error; a handled event
 * whose required parts are missing is `Malformed`. Supported: `jira:issue_created`,
 * `jira:issue_updated` (its changelog says whether the assignee changed) and `comment_created`.
 *
 * No payload names its site directly: the site is the host of the `self` URLs it carries
 * (`https://acme.atlassian.net/rest/api/2/issue/10001`), which is what installations are keyed by.
 */
import { Effect, Option, Schema } from "effect"
import { JiraText } from "./JiraAdf.ts"
import { nullable } from "./JiraSchema.ts"
import { hostOf } from "./JiraSite.ts"

export const User = Schema.Struct({
  self: nullable(Schema.String),
  accountId: nullable(Schema.String),
  displayName: nullable(Schema.String),
  accountType: nullable(Schema.String)
})
export type User = typeof User.Type

const Named = Schema.Struct({ id: nullable(Schema.String), name: nullable(Schema.String) })

export const Project = Schema.Struct({ id: Schema.String, key: Schema.String, name: nullable(Schema.String) })

export const IssueFields = Schema.Struct({
  summary: nullable(Schema.String),
  description: Schema.optional(JiraText),
  project: nullable(Project),
  status: nullable(Named),
  assignee: nullable(User),
  labels: nullable(Schema.Array(Schema.String)),
  issuetype: nullable(Named),
  priority: nullable(Named)
})

export const Issue = Schema.Struct({
  id: Schema.String,
  key: Schema.String,
  self: nullable(Schema.String),
  fields: nullable(IssueFields)
})
export type Issue = typeof Issue.Type

/**
 * One changed field. Jira also sends `toString` (the new value's display text); it is left out
 * on purpose: a struct key named `toString` would read `Object.prototype.toString` from a body
 * that lacks it, and the new assignee's name is in `issue.fields.assignee` anyway.
 */
export const ChangelogItem = Schema.Struct({
  field: Schema.String,
  fieldId: nullable(Schema.String),
  from: nullable(Schema.String),
  fromString: nullable(Schema.String),
  to: nullable(Schema.String)
})

export const IssueChanged = Schema.Struct({
  timestamp: Schema.Finite,
  webhookEvent: Schema.Literals(["jira:issue_created", "jira:issue_updated"]),
  issue_event_type_name: nullable(Schema.String),
  user: nullable(User),
  issue: Issue,
  changelog: nullable(Schema.Struct({ id: nullable(Schema.String), items: Schema.Array(ChangelogItem) }))
})
export type IssueChanged = typeof IssueChanged.Type

export const Comment = Schema.Struct({
  id: Schema.String,
  self: nullable(Schema.String),
  author: nullable(User),
  body: Schema.optional(JiraText),
  created: nullable(Schema.String)
})

export const CommentCreated = Schema.Struct({
  timestamp: Schema.Finite,
  webhookEvent: Schema.Literal("comment_created"),
  comment: Comment,
  issue: Issue
})
export type CommentCreated = typeof CommentCreated.Type

/** The part every Jira webhook body shares, and the `self` URLs that name the site. */
export const Envelope = Schema.Struct({
  webhookEvent: Schema.String,
  timestamp: Schema.Finite,
  issue: nullable(Schema.Struct({ self: nullable(Schema.String) })),
  comment: nullable(Schema.Struct({ self: nullable(Schema.String) })),
  user: nullable(Schema.Struct({ self: nullable(Schema.String) }))
})
export type Envelope = typeof Envelope.Type

export type JiraEvent =
  | { readonly _tag: "IssueChanged"; readonly event: IssueChanged }
  | { readonly _tag: "CommentCreated"; readonly event: CommentCreated }
  | { readonly _tag: "Unhandled"; readonly eventType: string }

/** The site's host, from the first `self` URL the payload carries. */
export const siteOf = (envelope: Envelope): Option.Option<string> =>
  Option.firstSomeOf([hostOf(envelope.issue?.self), hostOf(envelope.comment?.self), hostOf(envelope.user?.self)])

type Decoder = (body: unknown) => Effect.Effect<JiraEvent, Schema.SchemaError>

const decoderFor = <S extends Schema.Codec<unknown, unknown>>(schema: S, wrap: (value: S["Type"]) => JiraEvent): Decoder => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (body) => Effect.map(decode(body), wrap)
}

/** A Map, not an object literal, so a vendor string can never reach a prototype key. */
const decoders: ReadonlyMap<string, Decoder> = new Map<string, Decoder>([
  ["jira:issue_created", decoderFor(IssueChanged, (event) => ({ _tag: "IssueChanged", event }))],
  ["jira:issue_updated", decoderFor(IssueChanged, (event) => ({ _tag: "IssueChanged", event }))],
  ["comment_created", decoderFor(CommentCreated, (event) => ({ _tag: "CommentCreated", event }))]
])

/** Decodes a parsed body into a `JiraEvent`; fails only when a handled event is malformed. */
export const classify = (envelope: Envelope, body: unknown): Effect.Effect<JiraEvent, Schema.SchemaError> =>
  Option.match(Option.fromNullishOr(decoders.get(envelope.webhookEvent)), {
    onNone: () => Effect.succeed<JiraEvent>({ _tag: "Unhandled", eventType: envelope.webhookEvent }),
    onSome: (decode) => decode(body)
  })
