/**
 * The shapes inside Linear's webhook payloads (teams, issues, comments, users) and the agent
 * session events (`AgentSessionEvent.created` / `.prompted`), after Linear's webhook schema
 * (AgentSessionEventWebhookPayload and friends). Structs ignore unknown keys: Linear adds
 * fields over time.
 */
import { Schema } from "effect"
import { nullable } from "./LinearSchema.ts"

export const Team = Schema.Struct({
  id: Schema.String,
  key: nullable(Schema.String),
  name: nullable(Schema.String)
})

export const Issue = Schema.Struct({
  id: Schema.String,
  identifier: nullable(Schema.String),
  title: nullable(Schema.String),
  description: nullable(Schema.String),
  url: nullable(Schema.String),
  teamId: nullable(Schema.String),
  team: nullable(Team)
})
export type Issue = typeof Issue.Type

export const Comment = Schema.Struct({
  id: Schema.String,
  body: nullable(Schema.String),
  userId: nullable(Schema.String)
})
export type Comment = typeof Comment.Type

export const User = Schema.Struct({
  id: Schema.String,
  name: nullable(Schema.String)
})
export type User = typeof User.Type

export const AgentSession = Schema.Struct({
  id: Schema.String,
  appUserId: nullable(Schema.String),
  issueId: nullable(Schema.String),
  issue: nullable(Issue),
  commentId: nullable(Schema.String),
  comment: nullable(Comment),
  creatorId: nullable(Schema.String),
  creator: nullable(User),
  status: nullable(Schema.String)
})
export type AgentSession = typeof AgentSession.Type

export const AgentActivity = Schema.Struct({
  id: nullable(Schema.String),
  userId: nullable(Schema.String),
  /** `stop` when the user pressed stop in Linear. */
  signal: nullable(Schema.String),
  sourceCommentId: nullable(Schema.String),
  content: Schema.Struct({
    type: nullable(Schema.String),
    body: nullable(Schema.String)
  })
})
export type AgentActivity = typeof AgentActivity.Type

const Guidance = Schema.Struct({ body: Schema.String })

const agentSessionEventFields = {
  type: Schema.Literal("AgentSessionEvent"),
  organizationId: Schema.String,
  /** The agent (our app user) the session belongs to. */
  appUserId: nullable(Schema.String),
  agentSession: AgentSession,
  promptContext: nullable(Schema.String),
  guidance: nullable(Schema.Array(Guidance)),
  previousComments: nullable(Schema.Array(Comment))
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
