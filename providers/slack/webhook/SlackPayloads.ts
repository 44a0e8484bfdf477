/**
 * What Slack posts to the Events API request URL, as Schemas: the envelope the kernel reads
 * before the acknowledgement, and each handled event's own payload, decoded only when it is
 * decided.
 *
 * The outer body is `url_verification` (the handshake), `event_callback` (an event, with
 * `event_id`, `team_id` and `authorizations`) or `app_rate_limited`; any other type is kept as
 * `Other` (stored, and ignored as not handled). Inside an `event_callback`, `event.type` names
 * the event: `app_mention`, `message` (any `channel_type` and subtype), `assistant_thread_started`,
 * `tokens_revoked`, `app_uninstalled`.
 *
 * Slack adds fields and event types over time, so structs ignore unknown keys. Message fields
 * are mostly optional on purpose: subtypes such as `message_changed` carry no `user` or `text`.
 */
import { Schema } from "effect"
import { nullable } from "../../../kernel/provider/Vendor.ts"

const Authorization = Schema.Struct({
  team_id: nullable(Schema.String),
  enterprise_id: nullable(Schema.String),
  is_enterprise_install: nullable(Schema.Boolean)
})

/** Of the inner event, what the stored event type (`message.im:file_share`) and the lifecycle need. */
const InnerEnvelope = Schema.Struct({
  type: Schema.String,
  channel_type: nullable(Schema.String),
  subtype: nullable(Schema.String),
  tokens: nullable(Schema.Struct({ bot: nullable(Schema.Array(Schema.String)) }))
})

const Handshake = Schema.Struct({
  _tag: Schema.tagDefaultOmit("Handshake"),
  type: Schema.Literal("url_verification"),
  challenge: Schema.String
})

const Callback = Schema.Struct({
  _tag: Schema.tagDefaultOmit("Callback"),
  type: Schema.Literal("event_callback"),
  event_id: nullable(Schema.String),
  team_id: nullable(Schema.String),
  authorizations: nullable(Schema.Array(Authorization)),
  event: InnerEnvelope
})
export type Callback = typeof Callback.Type

export const AppRateLimited = Schema.Struct({
  _tag: Schema.tagDefaultOmit("RateLimited"),
  type: Schema.Literal("app_rate_limited"),
  team_id: nullable(Schema.String),
  api_app_id: nullable(Schema.String),
  minute_rate_limited: Schema.Number
})

const OUTER_TYPES: ReadonlyArray<string> = ["url_verification", "event_callback", "app_rate_limited"]

/** A type Slack may add later; a known type that fails its own shape is not this, so it is refused. */
const Other = Schema.Struct({
  _tag: Schema.tagDefaultOmit("Other"),
  type: Schema.String.check(Schema.makeFilter((type: string) => !OUTER_TYPES.includes(type), { expected: "an unknown type" })),
  team_id: nullable(Schema.String)
})

/** The least of a body that routing and storage need. */
export const Envelope = Schema.Union([Handshake, Callback, AppRateLimited, Other])
export type Envelope = typeof Envelope.Type

/** An `event_callback` body seen through its inner event's Schema. */
export const callbackOf = <A>(event: Schema.Codec<A, unknown>) => Schema.Struct({ event })

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

export const AppUninstalled = Schema.Struct({ type: Schema.Literal("app_uninstalled") })
