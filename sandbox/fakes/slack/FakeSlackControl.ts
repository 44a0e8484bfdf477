/**
 * The fake Slack's test controls, for in-process tests: apps (the deployment's and tenants'),
 * people, conversations and messages; what people say, returned as the Events API bodies Slack
 * would deliver for it (only where the bot is a member, an `app_mention` beside the `message`
 * when the bot is mentioned outside a DM); signing those like Slack; reading what the bot
 * posted, reacted and uploaded; expiring and revoking tokens; forcing rate limits.
 */
import { Effect, type Schema } from "effect"
import { KNOWN_BOT_SCOPES } from "./FakeSlackOAuth.ts"
import * as Payloads from "./payloads.ts"
import { type SignedSlackRequest, signSlackRequest } from "./sign.ts"
import * as State from "./FakeSlackState.ts"

type Json = Record<string, Schema.Json>

export interface Said {
  readonly message: State.FakeMessage
  /** The `event_callback` bodies Slack sends the app for it (none where the bot is not a member). */
  readonly events: ReadonlyArray<Json>
}

const CHANNEL_TYPES: Record<State.ConversationKind, "channel" | "group" | "im" | "mpim"> = {
  public: "channel",
  private: "group",
  im: "im",
  mpim: "mpim"
}

export const makeControl = (state: State.FakeSlackState) => {
  const envelope = (event: Json, options: { readonly appId?: string | undefined; readonly eventId?: string | undefined } = {}): Json => {
    const app = State.appOf(state, options.appId)
    return Payloads.eventCallback({
      teamId: state.team.id,
      appId: app.id,
      botUserId: app.botUserId,
      event,
      eventId: options.eventId,
      enterpriseId: state.orgInstall ? state.enterprise.id : undefined
    })
  }

  const conversation = (id: string) => {
    const found = state.conversations.get(id)
    if (found === undefined) throw new Error(`the fake Slack has no conversation ${id}`)
    return found
  }

  const record = (message: Omit<State.FakeMessage, "ts" | "reactions" | "files" | "edited" | "blocks" | "replyBroadcast">) => {
    const stored: State.FakeMessage = {
      ...message,
      ts: State.nextTs(state),
      blocks: null,
      replyBroadcast: false,
      reactions: new Map(),
      files: [],
      edited: null
    }
    state.messages.push(stored)
    return stored
  }

  const deliveries = (stored: State.FakeMessage, appId: string | undefined): ReadonlyArray<Json> => {
    const app = State.appOf(state, appId)
    const place = conversation(stored.channel)
    if (!place.members.has(app.botUserId)) return []
    const fields = {
      channel: stored.channel,
      ts: stored.ts,
      user: stored.user ?? undefined,
      text: stored.text,
      threadTs: stored.threadTs ?? undefined,
      team: state.team.id
    }
    const events = [envelope(Payloads.message({ ...fields, channelType: CHANNEL_TYPES[place.kind], botId: stored.botId ?? undefined, appId: stored.appId ?? undefined }), { appId })]
    if (place.kind !== "im" && stored.text.includes(`<@${app.botUserId}>`)) {
      events.push(envelope(Payloads.appMention({ ...fields, botId: stored.botId ?? undefined }), { appId }))
    }
    return events
  }

  return {
    state,
    team: state.team,
    enterprise: state.enterprise,
    get app(): State.FakeApp {
      return State.appOf(state)
    },
    createApp: (options: Parameters<typeof State.addApp>[1] = {}) => State.addApp(state, options),
    allowRedirectUri: (uri: string, appId?: string) => {
      const app = State.appOf(state, appId)
      app.redirectUris = [...(app.redirectUris ?? []), uri]
    },
    setAutoApprove: (on: boolean) => void (state.autoApprove = on),
    setOrgInstall: (on: boolean) => void (state.orgInstall = on),
    setTokenRotation: (on: boolean, appId?: string) => void (State.appOf(state, appId).tokenRotation = on),
    setAccessTokenTtl: (seconds: number) => void (state.accessTokenTtlSeconds = seconds),
    seedUser: (seed: { readonly name: string; readonly realName?: string; readonly email?: string; readonly title?: string; readonly tz?: string }) => {
      const user: State.FakeUser = {
        id: State.slackId("U"),
        teamId: state.team.id,
        name: seed.name,
        realName: seed.realName ?? seed.name,
        displayName: seed.name,
        title: seed.title ?? "",
        email: seed.email ?? `${seed.name}@example.com`,
        tz: seed.tz ?? "Europe/London",
        isBot: false,
        isAdmin: false,
        deleted: false,
        botId: null,
        appId: null
      }
      state.users.set(user.id, user)
      return user
    },
    /** A channel; `bots` lists the apps whose bot users are members (default: the deployment's app). */
    seedChannel: (seed: {
      readonly name: string
      readonly kind?: "public" | "private" | "mpim"
      readonly members?: ReadonlyArray<string>
      readonly bots?: ReadonlyArray<string>
    }) => {
      const kind = seed.kind ?? "public"
      const bots = (seed.bots ?? [state.defaultAppId]).map((appId) => State.appOf(state, appId).botUserId)
      const channel: State.FakeConversation = {
        id: State.slackId(kind === "public" ? "C" : kind === "private" ? "C" : "G"),
        name: seed.name,
        kind,
        members: new Set([...(seed.members ?? []), ...bots]),
        archived: false,
        topic: "",
        purpose: "",
        created: Math.floor(state.now() / 1000),
        user: null
      }
      state.conversations.set(channel.id, channel)
      return channel
    },
    archive: (channel: string) => void (conversation(channel).archived = true),
    inviteBot: (channel: string, appId?: string) => void conversation(channel).members.add(State.appOf(state, appId).botUserId),
    /** The direct message conversation between a person and an app's bot. */
    openDm: (user: string, appId?: string) => {
      const bot = State.appOf(state, appId).botUserId
      const existing = [...state.conversations.values()].find((found) => found.kind === "im" && found.user === user && found.members.has(bot))
      if (existing !== undefined) return existing
      const dm: State.FakeConversation = {
        id: State.slackId("D"),
        name: null,
        kind: "im",
        members: new Set([user, bot]),
        archived: false,
        topic: "",
        purpose: "",
        created: Math.floor(state.now() / 1000),
        user
      }
      state.conversations.set(dm.id, dm)
      return dm
    },
    /** A person's message; returns it and the events Slack delivers to the app for it. */
    say: (said: { readonly channel: string; readonly user: string; readonly text: string; readonly threadTs?: string; readonly appId?: string }): Said => {
      conversation(said.channel)
      const stored = record({ channel: said.channel, threadTs: said.threadTs ?? null, user: said.user, botId: null, appId: null, text: said.text, subtype: null })
      return { message: stored, events: deliveries(stored, said.appId) }
    },
    /** A message by an app's bot (its own, by default), as Slack reports it back to the app. */
    botSays: (said: { readonly channel: string; readonly text: string; readonly threadTs?: string; readonly appId?: string }): Said => {
      const app = State.appOf(state, said.appId)
      const stored = record({ channel: said.channel, threadTs: said.threadTs ?? null, user: app.botUserId, botId: app.botId, appId: app.id, text: said.text, subtype: null })
      return { message: stored, events: deliveries(stored, said.appId) }
    },
    /** A person opens the assistant container: a new thread in their DM with the bot. */
    startAssistantThread: (options: { readonly user: string; readonly contextChannel?: string; readonly appId?: string }) => {
      const app = State.appOf(state, options.appId)
      const dm = [...state.conversations.values()].find((found) => found.kind === "im" && found.user === options.user && found.members.has(app.botUserId))
      if (dm === undefined) throw new Error("open a DM with the bot first (openDm)")
      const root = record({ channel: dm.id, threadTs: null, user: app.botUserId, botId: app.botId, appId: app.id, text: "New chat", subtype: "assistant_app_thread" })
      const event = Payloads.assistantThreadStarted({ user: options.user, channel: dm.id, threadTs: root.ts, contextChannel: options.contextChannel, teamId: state.team.id })
      return { channel: dm.id, threadTs: root.ts, events: [envelope(event, { appId: options.appId })] }
    },
    envelope,
    sign: (payload: unknown, options: { readonly appId?: string; readonly timestamp?: number; readonly retryNum?: number } = {}): Promise<SignedSlackRequest> =>
      Effect.runPromise(signSlackRequest({
        signingSecret: State.appOf(state, options.appId).signingSecret,
        payload,
        timestamp: options.timestamp,
        retryNum: options.retryNum
      })),
    messages: (channel?: string) => state.messages.filter((message) => channel === undefined || message.channel === channel),
    thread: (channel: string, threadTs: string) =>
      state.messages.filter((message) => message.channel === channel && (message.ts === threadTs || message.threadTs === threadTs)),
    reactions: (channel: string, ts: string) => Object.fromEntries(State.findMessage(state, channel, ts)?.reactions ?? []),
    files: () => [...state.files.values()],
    /** A bot token as if the app had been installed with these scopes (default: every known bot scope). */
    mintToken: (options: { readonly scopes?: ReadonlyArray<string>; readonly appId?: string; readonly expiresInSeconds?: number } = {}) =>
      State.grantsOf(state).issue({
        scopes: options.scopes ?? [...KNOWN_BOT_SCOPES],
        extra: { appId: State.appOf(state, options.appId).id },
        expiresInSeconds: options.expiresInSeconds ?? null,
        refresh: false
      }).accessToken,
    /** Expires every live access token; refresh tokens keep working. Answers how many. */
    expireAll: () => State.grantsOf(state).expireAll(),
    /** Revokes every token of an app, as uninstalling it does; answers how many access tokens. */
    revokeAll: (appId?: string) => {
      const app = State.appOf(state, appId)
      return State.grantsOf(state).revokeAll((token) => token.appId === app.id).length
    },
    setRateLimited: (limit: false | Partial<State.FakeRateLimit>) => {
      state.rateLimit = limit === false
        ? null
        : { mode: limit.mode ?? "http429", retryAfterSeconds: limit.retryAfterSeconds ?? 30, methods: limit.methods ?? null }
    },
    calls: () => [...state.calls],
    refreshes: () => state.tokenRequests.filter((request) => request.grantType === "refresh_token")
  }
}

export type FakeSlackControl = ReturnType<typeof makeControl>
