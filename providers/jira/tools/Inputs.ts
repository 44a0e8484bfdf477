/**
 * Input fields the Jira tools share, so the same thing is named and checked the same way
 * everywhere (an agent learns `issue` once). Each carries a description: it ends up in the
 * tool's JSON Schema, which is all the agent sees. Patterns carry the `u` flag: without it
 * Effect leaves them out of the JSON Schema, and the agent would be told less than is checked.
 */
import { Schema } from "effect"

const text = (max: number) => Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(max))

export const Issue = Schema.String.check(Schema.isPattern(/^(?:[A-Za-z][A-Za-z0-9_]*-[0-9]+|[0-9]+)$/u)).annotate({
  description: "The issue's key, such as ENG-42, or its numeric id (issueKey or issueId in the dispatch context)"
})

export const Project = Schema.String.check(Schema.isPattern(/^(?:[A-Za-z][A-Za-z0-9_]{0,99}|[0-9]+)$/u)).annotate({
  description: "The project's key, such as ENG, or its numeric id"
})

export const Summary = text(255).annotate({ description: "The issue's one-line summary (its title)" })

/** Jira's limit on a rich-text field. */
export const RichText = text(32_767)

export const Description = RichText.annotate({
  description: "Plain text; blank lines separate paragraphs, [~accountid:<id>] mentions someone"
})

export const IssueType = text(100).annotate({ description: "The issue type's name, such as Task, Bug or Story (default Task)" })

export const Priority = text(50).annotate({ description: "The priority's name, such as High or Medium" })

export const Label = Schema.String.check(Schema.isPattern(/^[^\s]{1,255}$/u)).annotate({
  description: "A label, such as needs-review (labels have no spaces)"
})

export const DueDate = Schema.String.check(Schema.isPattern(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/u)).annotate({
  description: "A calendar date, YYYY-MM-DD"
})

export const Assignee = text(200).annotate({
  description: "Who: \"me\" (the agent), \"none\" (unassigned), an account id, an e-mail address or a display name"
})

export const StatusName = text(100).annotate({ description: "A status's name, such as In Progress or Done, as list_transitions shows" })

export const Jql = text(4_000).annotate({
  description: "A JQL query, such as: project = ENG AND status = \"In Progress\" ORDER BY updated DESC"
})

export const MaxResults = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 50 })).annotate({
  description: "How many to return, 1 to 50 (default 20)"
})
