/**
 * The agent session events (`AgentSessionEvent.created` / `.prompted`), after Linear's webhook
 * schema (AgentSessionEventWebhookPayload and friends), and the issues, comments and users inside
 * Linear's payloads. Only what the decisions read is declared; structs ignore unknown keys, as
 * Linear adds fields over time.
 */
import { Schema } from "effect"
import { nullable } from "../../../kernel/provider/Vendor.ts"

export const Issue = Schema.Struct({
  id: Schema.String,
  identifier: nullable(Schema.String),
  title: nullable(Schema.String),
  description: nullable(Schema.String),
  url: nullable(Schema.String),
  teamId: nullable(Schema.String),
  team: nullable(Schema.Struct({ id: Schema.String, key: nullable(Schema.String) }))
})
export type Issue = typeof Issue.Type

export const User = Schema.Struct({ id: Schema.String, name: nullable(Schema.String) })

const AgentSession = Schema.Struct({
  id: Schema.String,
  /** The agent (an app user) the session belongs to. */
  appUserId: nullable(Schema.String),
  issueId: nullable(Schema.String),
  issue: nullable(Issue),
  commentId: nullable(Schema.String),
  comment: nullable(Schema.Struct({ id: Schema.String, body: nullable(Schema.String), userId: nullable(Schema.String) })),
  creatorId: nullable(Schema.String),
  creator: nullable(User)
})

const AgentActivity = Schema.Struct({
  id: nullable(Schema.String),
  userId: nullable(Schema.String),
  /** `stop` when the user pressed stop in Linear. */
  signal: nullable(Schema.String),
  content: Schema.Struct({ body: nullable(Schema.String) })
})

const agentSessionEventFields = {
  type: Schema.Literal("AgentSessionEvent"),
  organizationId: Schema.String,
  appUserId: nullable(Schema.String),
  agentSession: AgentSession,
  /** Linear's own rendering of the session's context, meant as the agent's prompt. */
  promptContext: nullable(Schema.String)
}

export const AgentSessionCreated = Schema.Struct({
  ...agentSessionEventFields,
  action: Schema.Literal("created"),
  agentActivity: nullable(AgentActivity)
})
export type AgentSessionCreated = typeof AgentSessionCreated.Type

/** A follow-up message: without the activity there is nothing to pass on, so it is required. */
export const AgentSessionPrompted = Schema.Struct({
  ...agentSessionEventFields,
  action: Schema.Literal("prompted"),
  agentActivity: AgentActivity
})
export type AgentSessionPrompted = typeof AgentSessionPrompted.Type
