/**
 * Schemas for the Linear webhook payloads this provider acts on, and `classify`, which turns a
 * parsed body into a `LinearEvent` tagged union.
 *
 * Linear adds fields over time and sends many event types we do not handle, so structs ignore
 * unknown keys and an unknown `type.action` becomes `Unhandled` rather than an error. A known
 * event whose required parts are missing is a different matter: that is `Malformed`.
 *
 * Supported: `AgentSessionEvent.created`, `AgentSessionEvent.prompted`, `OAuthApp.revoked`.
 * Field names follow Linear's webhook schema (AgentSessionEventWebhookPayload and friends).
 */
import { Effect, Option, Schema } from "effect"
import { nullable } from "./LinearSchema.ts"

/** The part every Linear webhook body shares; enough to route it. */
export const Envelope = Schema.Struct({
  type: Schema.String,
  action: nullable(Schema.String),
  organizationId: nullable(Schema.String)
})
export type Envelope = typeof Envelope.Type

/** Read only after the signature passed, to enforce the replay window. */
export const Timestamped = Schema.Struct({ webhookTimestamp: Schema.Finite })

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

export const User = Schema.Struct({
  id: Schema.String,
  name: nullable(Schema.String)
})

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

export const OAuthAppRevoked = Schema.Struct({
  type: Schema.Literal("OAuthApp"),
  action: Schema.Literal("revoked"),
  organizationId: Schema.String,
  oauthClientId: nullable(Schema.String)
})

export type LinearEvent =
  | { readonly _tag: "SessionCreated"; readonly event: AgentSessionCreated }
  | { readonly _tag: "SessionPrompted"; readonly event: AgentSessionPrompted }
  | { readonly _tag: "AppRevoked"; readonly organizationId: string }
  | { readonly _tag: "Unhandled"; readonly eventType: string }

/** `AgentSessionEvent.created`: the name used in logs, the Console and `DecodedWebhook.eventType`. */
export const eventTypeOf = (envelope: Envelope): string =>
  envelope.action === undefined || envelope.action === null || envelope.action.length === 0
    ? envelope.type
    : `${envelope.type}.${envelope.action}`

type Decoder = (body: unknown) => Effect.Effect<LinearEvent, Schema.SchemaError>

const decoderFor = <S extends Schema.Codec<unknown, unknown>>(
  schema: S,
  wrap: (value: S["Type"]) => LinearEvent
): Decoder => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (body) => Effect.map(decode(body), wrap)
}

/** A Map, not an object literal, so a vendor string can never reach a prototype key. */
const decoders: ReadonlyMap<string, Decoder> = new Map<string, Decoder>([
  ["AgentSessionEvent.created", decoderFor(AgentSessionCreated, (event) => ({ _tag: "SessionCreated", event }))],
  ["AgentSessionEvent.prompted", decoderFor(AgentSessionPrompted, (event) => ({ _tag: "SessionPrompted", event }))],
  [
    "OAuthApp.revoked",
    decoderFor(OAuthAppRevoked, (event) => ({ _tag: "AppRevoked", organizationId: event.organizationId }))
  ]
])

/** Decodes a parsed body into a `LinearEvent`; fails only when a handled event is malformed. */
export const classify = (envelope: Envelope, body: unknown): Effect.Effect<LinearEvent, Schema.SchemaError> => {
  const eventType = eventTypeOf(envelope)
  return Option.match(Option.fromNullishOr(decoders.get(eventType)), {
    onNone: () => Effect.succeed<LinearEvent>({ _tag: "Unhandled", eventType }),
    onSome: (decode) => decode(body)
  })
}
