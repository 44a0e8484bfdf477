/**
 * Events API bodies in Slack's documented shapes: the `event_callback` envelope (`token`,
 * `team_id`, `api_app_id`, `event`, `event_id`, `event_time`, `authorizations`,
 * `event_context`), the inner events the provider handles (`app_mention`, `message` with its
 * `channel_type`, `subtype`, `bot_id`, `thread_ts`, `assistant_thread_started`,
 * `tokens_revoked`, `app_uninstalled`), `url_verification` and `app_rate_limited`.
 */
import type { Schema } from "effect"

type Json = Record<string, Schema.Json>

export interface EnvelopeOptions {
  readonly teamId: string
  readonly appId: string
  /** The bot user the event is delivered for (`authorizations[0].user_id`). */
  readonly botUserId: string
  readonly event: Json
  readonly eventId?: string | undefined
  readonly eventTime?: number | undefined
  /** An org-wide (Enterprise Grid) installation: `authorizations` name the enterprise. */
  readonly enterpriseId?: string | undefined
}

let sequence = 0
/** Slack's event ids look like `Ev` and nine or more uppercase characters. */
export const eventId = (): string => `Ev${Date.now().toString(36).toUpperCase()}${(sequence++).toString(36).toUpperCase().padStart(3, "0")}`

export const eventCallback = (options: EnvelopeOptions): Json => {
  const time = options.eventTime ?? Math.floor(Date.now() / 1000)
  const enterprise = options.enterpriseId ?? null
  return {
    token: "XXYYZZ",
    team_id: options.teamId,
    ...(enterprise === null ? {} : { enterprise_id: enterprise }),
    api_app_id: options.appId,
    event: { event_ts: `${time}.000100`, ...options.event },
    type: "event_callback",
    event_id: options.eventId ?? eventId(),
    event_time: time,
    authorizations: [{
      enterprise_id: enterprise,
      team_id: options.teamId,
      user_id: options.botUserId,
      is_bot: true,
      is_enterprise_install: enterprise !== null
    }],
    is_ext_shared_channel: false,
    event_context: `4-${btoa(options.event["type"] === undefined ? "event" : String(options.event["type"]))}`
  }
}

export const urlVerification = (challenge: string): Json => ({
  token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",
  challenge,
  type: "url_verification"
})

export const appRateLimited = (options: { readonly teamId: string; readonly appId: string; readonly minute: number }): Json => ({
  token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",
  type: "app_rate_limited",
  team_id: options.teamId,
  minute_rate_limited: options.minute,
  api_app_id: options.appId
})

export interface MessageFields {
  readonly channel: string
  readonly ts: string
  readonly user?: string | undefined
  readonly text?: string | undefined
  readonly threadTs?: string | undefined
  readonly team?: string | undefined
}

const optional = (fields: Record<string, Schema.Json | undefined>): Json => {
  const body: Json = {}
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body[key] = value
  return body
}

export const appMention = (fields: MessageFields & { readonly botId?: string | undefined }): Json =>
  optional({
    type: "app_mention",
    user: fields.user,
    bot_id: fields.botId,
    text: fields.text ?? "",
    ts: fields.ts,
    channel: fields.channel,
    thread_ts: fields.threadTs,
    team: fields.team
  })

export const message = (
  fields: MessageFields & {
    readonly channelType: "channel" | "group" | "im" | "mpim"
    readonly subtype?: string | undefined
    readonly botId?: string | undefined
    readonly appId?: string | undefined
    readonly parentUserId?: string | undefined
  }
): Json =>
  optional({
    type: "message",
    subtype: fields.subtype,
    channel: fields.channel,
    user: fields.user,
    bot_id: fields.botId,
    app_id: fields.appId,
    text: fields.text ?? "",
    ts: fields.ts,
    thread_ts: fields.threadTs,
    parent_user_id: fields.parentUserId,
    team: fields.team,
    channel_type: fields.channelType
  })

/** An edit, as Slack reports it: its own ts, the edited message nested, no top-level user. */
export const messageChanged = (fields: {
  readonly channel: string
  readonly ts: string
  readonly editTs: string
  readonly user: string
  readonly text: string
}): Json => ({
  type: "message",
  subtype: "message_changed",
  hidden: true,
  channel: fields.channel,
  ts: fields.editTs,
  message: { type: "message", user: fields.user, text: fields.text, ts: fields.ts, edited: { user: fields.user, ts: fields.ts } },
  previous_message: { type: "message", user: fields.user, text: "(before)", ts: fields.ts },
  channel_type: "channel"
})

export const assistantThreadStarted = (fields: {
  readonly user: string
  readonly channel: string
  readonly threadTs: string
  readonly contextChannel?: string | undefined
  readonly teamId?: string | undefined
}): Json => ({
  type: "assistant_thread_started",
  assistant_thread: {
    user_id: fields.user,
    context: optional({ channel_id: fields.contextChannel, team_id: fields.teamId }),
    channel_id: fields.channel,
    thread_ts: fields.threadTs
  }
})

export const tokensRevoked = (tokens: { readonly oauth?: ReadonlyArray<string>; readonly bot?: ReadonlyArray<string> }): Json => ({
  type: "tokens_revoked",
  tokens: { oauth: [...(tokens.oauth ?? [])], bot: [...(tokens.bot ?? [])] }
})

export const appUninstalled = (): Json => ({ type: "app_uninstalled" })
