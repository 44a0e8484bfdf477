/**
 * What Slack posts to the Events API request URL, decoded with Schema into tagged unions.
 *
 * The outer body is `url_verification` (the handshake), `event_callback` (an event, with
 * `event_id`, `team_id`, `api_app_id` and `authorizations`) or `app_rate_limited`. Inside an
 * `event_callback`, `event.type` picks the payload: `app_mention`, `message` (any
 * `channel_type` and subtype), `assistant_thread_started`, `tokens_revoked`, `app_uninstalled`.
 *
 * Slack adds fields and event types over time, so structs ignore unknown keys and an unknown
 * type becomes `Unhandled` (acknowledged and recorded as ignored), never an error. A known event
 * missing what routing needs (a channel, a ts) is `Malformed`. Message fields are mostly
 * optional on purpose: subtypes such as `message_changed` carry no `user` or `text` of their own.
 */
import { Effect, Option, Schema } from "effect"
import { nullable } from "./SlackSchema.ts"

const Authorization = Schema.Struct({
  team_id: nullable(Schema.String),
  enterprise_id: nullable(Schema.String),
  user_id: nullable(Schema.String),
  is_bot: nullable(Schema.Boolean),
  is_enterprise_install: nullable(Schema.Boolean)
})

/** Enough of any body to know what it is. */
export const Outer = Schema.Struct({ type: Schema.String })

export const UrlVerification = Schema.Struct({ type: Schema.Literal("url_verification"), challenge: Schema.String })

export const EventCallback = Schema.Struct({
  type: Schema.Literal("event_callback"),
  event_id: Schema.String.check(Schema.isNonEmpty()),
  event_time: nullable(Schema.Number),
  team_id: nullable(Schema.String),
  enterprise_id: nullable(Schema.String),
  api_app_id: nullable(Schema.String),
  authorizations: nullable(Schema.Array(Authorization)),
  event: Schema.Struct({ type: Schema.String })
})
export type EventCallback = typeof EventCallback.Type

export const AppRateLimited = Schema.Struct({
  type: Schema.Literal("app_rate_limited"),
  team_id: nullable(Schema.String),
  minute_rate_limited: Schema.Number,
  api_app_id: nullable(Schema.String)
})

export const AppMention = Schema.Struct({
  type: Schema.Literal("app_mention"),
  channel: Schema.String,
  ts: Schema.String,
  user: nullable(Schema.String),
  bot_id: nullable(Schema.String),
  text: nullable(Schema.String),
  thread_ts: nullable(Schema.String),
  team: nullable(Schema.String)
})
export type AppMention = typeof AppMention.Type

export const Message = Schema.Struct({
  type: Schema.Literal("message"),
  channel: Schema.String,
  ts: Schema.String,
  channel_type: nullable(Schema.String),
  subtype: nullable(Schema.String),
  user: nullable(Schema.String),
  bot_id: nullable(Schema.String),
  app_id: nullable(Schema.String),
  text: nullable(Schema.String),
  thread_ts: nullable(Schema.String),
  parent_user_id: nullable(Schema.String),
  team: nullable(Schema.String)
})
export type Message = typeof Message.Type

export const AssistantThreadStarted = Schema.Struct({
  type: Schema.Literal("assistant_thread_started"),
  assistant_thread: Schema.Struct({
    user_id: Schema.String,
    channel_id: Schema.String,
    thread_ts: Schema.String,
    context: nullable(Schema.Struct({
      channel_id: nullable(Schema.String),
      team_id: nullable(Schema.String),
      enterprise_id: nullable(Schema.String)
    }))
  })
})
export type AssistantThreadStarted = typeof AssistantThreadStarted.Type

export const TokensRevoked = Schema.Struct({
  type: Schema.Literal("tokens_revoked"),
  tokens: Schema.Struct({ oauth: nullable(Schema.Array(Schema.String)), bot: nullable(Schema.Array(Schema.String)) })
})
export type TokensRevoked = typeof TokensRevoked.Type

export type SlackEvent =
  | { readonly _tag: "Mention"; readonly event: AppMention }
  | { readonly _tag: "Message"; readonly event: Message }
  | { readonly _tag: "AssistantThreadStarted"; readonly event: AssistantThreadStarted }
  | { readonly _tag: "TokensRevoked"; readonly event: TokensRevoked }
  | { readonly _tag: "AppUninstalled" }
  | { readonly _tag: "RateLimited"; readonly minute: number }
  | { readonly _tag: "Unhandled"; readonly eventType: string }

type Decoder = (event: unknown) => Effect.Effect<SlackEvent, Schema.SchemaError>

const decoderFor = <S extends Schema.Codec<unknown, unknown>>(schema: S, wrap: (value: S["Type"]) => SlackEvent): Decoder => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (event) => Effect.map(decode(event), wrap)
}

/** A Map, not an object literal, so a vendor string can never reach a prototype key. */
const decoders: ReadonlyMap<string, Decoder> = new Map<string, Decoder>([
  ["app_mention", decoderFor(AppMention, (event) => ({ _tag: "Mention", event }))],
  ["message", decoderFor(Message, (event) => ({ _tag: "Message", event }))],
  ["assistant_thread_started", decoderFor(AssistantThreadStarted, (event) => ({ _tag: "AssistantThreadStarted", event }))],
  ["tokens_revoked", decoderFor(TokensRevoked, (event) => ({ _tag: "TokensRevoked", event }))],
  ["app_uninstalled", () => Effect.succeed<SlackEvent>({ _tag: "AppUninstalled" })]
])

/** The inner event of an `event_callback`; fails only when a handled event is malformed. */
export const classify = (type: string, event: unknown): Effect.Effect<SlackEvent, Schema.SchemaError> =>
  Option.match(Option.fromNullishOr(decoders.get(type)), {
    onNone: () => Effect.succeed<SlackEvent>({ _tag: "Unhandled", eventType: type }),
    onSome: (decode) => decode(event)
  })

/** Slack's subscription names for messages (`message.im` ...), by the event's `channel_type`. */
const MESSAGE_SUBSCRIPTIONS: ReadonlyMap<string, string> = new Map([
  ["channel", "message.channels"],
  ["group", "message.groups"],
  ["im", "message.im"],
  ["mpim", "message.mpim"],
  ["app_home", "message.app_home"]
])

/** The event's name for logs and the Console: `app_mention`, `message.im`, `message.channels:message_changed`. */
export const eventTypeOf = (event: SlackEvent, fallback: string): string => {
  if (event._tag !== "Message") return fallback
  const base = MESSAGE_SUBSCRIPTIONS.get(event.event.channel_type ?? "") ?? "message"
  return event.event.subtype ? `${base}:${event.event.subtype}` : base
}

/**
 * The vendor account the event belongs to: the installation it was delivered for. Slack lists
 * it in `authorizations`; an org-wide (Enterprise Grid) install is keyed by its enterprise id,
 * like the installation; the envelope's `team_id` is the fallback for older payloads.
 */
export const accountOf = (callback: EventCallback): Option.Option<string> => {
  const first = callback.authorizations?.[0]
  if (first?.is_enterprise_install === true && first.enterprise_id) return Option.some(first.enterprise_id)
  return Option.firstSomeOf([
    Option.fromNullishOr(first?.team_id).pipe(Option.filter((id) => id.length > 0)),
    Option.fromNullishOr(callback.team_id).pipe(Option.filter((id) => id.length > 0))
  ])
}
