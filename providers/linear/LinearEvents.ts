/**
 * The envelope every Linear webhook shares, and `classify`, which turns a parsed body into a
 * `LinearEvent` tagged union (payload schemas: `LinearSessionEvents.ts`, `LinearDataEvents.ts`).
 *
 * Linear adds fields over time and sends many event types we do not handle, so structs ignore
 * unknown keys and an unknown `type.action` becomes `Unhandled` rather than an error. A known
 * event whose required parts are missing is a different matter: that is `Malformed`.
 *
 * Supported: `AgentSessionEvent.created`, `AgentSessionEvent.prompted`, `Issue.create`,
 * `Issue.update`, `Comment.create`, `OAuthApp.revoked`.
 */
import { Effect, Option, Schema } from "effect"
import { CommentCreated, IssueChanged, OAuthAppRevoked } from "./LinearDataEvents.ts"
import { AgentSessionCreated, AgentSessionPrompted } from "./LinearSessionEvents.ts"
import { nullable } from "./LinearSchema.ts"

export type { CommentCreated, IssueChanged } from "./LinearDataEvents.ts"
export type { AgentSessionCreated, AgentSessionPrompted, Issue } from "./LinearSessionEvents.ts"

/** The part every Linear webhook body shares; enough to route it. */
export const Envelope = Schema.Struct({
  type: Schema.String,
  action: nullable(Schema.String),
  organizationId: nullable(Schema.String)
})
export type Envelope = typeof Envelope.Type

/** Read only after the signature passed, to enforce the replay window. */
export const Timestamped = Schema.Struct({ webhookTimestamp: Schema.Finite })

export type LinearEvent =
  | { readonly _tag: "SessionCreated"; readonly event: AgentSessionCreated }
  | { readonly _tag: "SessionPrompted"; readonly event: AgentSessionPrompted }
  | { readonly _tag: "IssueChanged"; readonly event: IssueChanged }
  | { readonly _tag: "CommentCreated"; readonly event: CommentCreated }
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
  ["Issue.create", decoderFor(IssueChanged, (event) => ({ _tag: "IssueChanged", event }))],
  ["Issue.update", decoderFor(IssueChanged, (event) => ({ _tag: "IssueChanged", event }))],
  ["Comment.create", decoderFor(CommentCreated, (event) => ({ _tag: "CommentCreated", event }))],
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
