/**
 * Input fields several Linear tools share, so the same thing is named and checked the same way
 * everywhere (an agent learns `issueId` once). Each carries a description: it ends up in the
 * tool's JSON Schema, which is all the agent sees.
 */
import { Schema } from "effect"

const text = (max: number) => Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(max))

export const IssueId = text(200).annotate({ description: "The issue's id (UUID) or its identifier, such as ENG-123" })

export const Title = text(255).annotate({ description: "The issue's title" })

export const Description = Schema.String.check(Schema.isMaxLength(100_000)).annotate({
  description: "The issue's description, in Markdown"
})

export const Priority = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 4 })).annotate({
  description: "0 no priority, 1 urgent, 2 high, 3 medium, 4 low"
})

export const DueDate = Schema.String.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/u)).annotate({
  description: "A calendar date, YYYY-MM-DD"
})

export const Assignee = text(200).annotate({
  description: "Who: a user id, an email, a display name (the @handle) or a full name; \"me\" is the agent itself"
})

export const Team = text(200).annotate({ description: "The team's key (such as ENG), name or id" })

export const StateName = text(100).annotate({
  description: "A workflow state's name (such as In Progress), as listed by list_teams"
})

export const LabelName = text(100).annotate({ description: "The label's name (such as bug)" })

export const Body = text(100_000).annotate({ description: "Markdown text" })

export const First = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 50 })).annotate({
  description: "How many to return, 1 to 50"
})
