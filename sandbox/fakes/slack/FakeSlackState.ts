/**
 * The fake Slack's in-memory state: one workspace (optionally inside an Enterprise Grid org),
 * its people, conversations, messages and files, the Slack apps registered with it (each with
 * its client credentials, signing secret and bot user), OAuth codes and tokens, and logs of the
 * calls made, for tests to assert on. Ids follow Slack's shapes (T…, U…, B…, A…, C…, D…, F…)
 * and message timestamps are `seconds.micro` strings, unique and increasing.
 */
import type { Schema } from "effect"
import { randomToken } from "../../kit/FakeCredentials.ts"
import { type AccessToken, makeGrants, makeOAuthStore, type OAuthStore } from "../../kit/FakeGrants.ts"

export type ConversationKind = "public" | "private" | "im" | "mpim"

export interface FakeApp {
  readonly id: string
  readonly name: string
  readonly clientId: string
  readonly clientSecret: string
  readonly signingSecret: string
  /** With rotation, tokens expire (12 h) and come with single-use refresh tokens. */
  tokenRotation: boolean
  readonly botUserId: string
  readonly botId: string
  /** Redirect URIs the consent accepts; null accepts any http(s) URI. */
  redirectUris: Array<string> | null
}

export interface FakeUser {
  readonly id: string
  readonly teamId: string
  readonly name: string
  realName: string
  displayName: string
  title: string
  email: string
  tz: string
  readonly isBot: boolean
  isAdmin: boolean
  deleted: boolean
  readonly botId: string | null
  readonly appId: string | null
}

export interface FakeConversation {
  readonly id: string
  name: string | null
  readonly kind: ConversationKind
  readonly members: Set<string>
  archived: boolean
  topic: string
  purpose: string
  readonly created: number
  /** The person on the other side of a direct message. */
  readonly user: string | null
}

export interface FakeMessage {
  readonly channel: string
  readonly ts: string
  readonly threadTs: string | null
  readonly user: string | null
  readonly botId: string | null
  readonly appId: string | null
  text: string
  blocks: ReadonlyArray<Schema.Json> | null
  readonly subtype: string | null
  readonly replyBroadcast: boolean
  readonly reactions: Map<string, Array<string>>
  readonly files: Array<string>
  edited: { readonly user: string; readonly ts: string } | null
}

export interface FakeFile {
  readonly id: string
  readonly appId: string
  readonly filename: string
  title: string
  readonly length: number
  readonly snippetType: string | null
  bytes: Uint8Array | null
  completed: boolean
  readonly shares: Array<{ readonly channel: string; readonly threadTs: string | null }>
  initialComment: string | null
}

/** What codes and tokens carry besides the grant: the app they were issued to. */
export interface AppOwned {
  readonly appId: string
}

/** Without token rotation, an access token never expires (`expiresAt` null) and has no refresh token. */
export type FakeAccessToken = AccessToken<AppOwned>

export interface FakeCall {
  readonly method: string
  readonly status: number
  readonly error: string | null
  readonly encoding: "json" | "form" | "none"
}

export interface FakeTokenRequest {
  readonly grantType: string
  readonly appId: string | null
  readonly error: string | null
}

export interface FakeRateLimit {
  /** `http429`: HTTP 429 with Retry-After; `ratelimited`: HTTP 200 with `ok: false`. */
  readonly mode: "http429" | "ratelimited"
  readonly retryAfterSeconds: number
  /** Only these methods; null for every Web API method. */
  readonly methods: ReadonlyArray<string> | null
}

export interface FakeSlackOptions {
  readonly clientId?: string | undefined
  readonly clientSecret?: string | undefined
  readonly signingSecret?: string | undefined
  readonly tokenRotation?: boolean | undefined
  readonly autoApprove?: boolean | undefined
  readonly now?: (() => number) | undefined
}

export interface FakeSlackState extends OAuthStore<AppOwned, AppOwned> {
  readonly team: { readonly id: string; readonly name: string; readonly domain: string }
  readonly enterprise: { readonly id: string; readonly name: string }
  /** Installs become org-wide (Enterprise Grid) when on. */
  orgInstall: boolean
  readonly apps: Map<string, FakeApp>
  /** The deployment's app: the one controls act for unless told otherwise. */
  defaultAppId: string
  readonly users: Map<string, FakeUser>
  readonly conversations: Map<string, FakeConversation>
  readonly messages: Array<FakeMessage>
  readonly files: Map<string, FakeFile>
  readonly calls: Array<FakeCall>
  readonly tokenRequests: Array<FakeTokenRequest>
  rateLimit: FakeRateLimit | null
  lastTs: number
}

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

/** A Slack-looking id: the prefix letter and ten uppercase characters. */
export const slackId = (prefix: string): string =>
  prefix + Array.from(crypto.getRandomValues(new Uint8Array(10)), (byte) => ALPHABET[byte % ALPHABET.length]).join("")

export const randomSecret = (bytes = 16): string => randomToken("", bytes)

/** The next message ts: never earlier than the clock, always later than the last one. */
export const nextTs = (state: FakeSlackState): string => {
  const micros = Math.max(state.now() * 1000, state.lastTs + 1)
  state.lastTs = micros
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`
}

export const DEFAULT_HUMAN_NAME = "ada"

export const addApp = (
  state: FakeSlackState,
  options: { readonly name?: string; readonly clientId?: string; readonly clientSecret?: string; readonly signingSecret?: string; readonly tokenRotation?: boolean }
): FakeApp => {
  const app: FakeApp = {
    id: slackId("A"),
    name: options.name ?? "Switchboard",
    clientId: options.clientId ?? `${Math.floor(Math.random() * 1e10)}.${Math.floor(Math.random() * 1e12)}`,
    clientSecret: options.clientSecret ?? randomSecret(),
    signingSecret: options.signingSecret ?? randomSecret(),
    tokenRotation: options.tokenRotation ?? false,
    botUserId: slackId("U"),
    botId: slackId("B"),
    redirectUris: null
  }
  state.apps.set(app.id, app)
  state.users.set(app.botUserId, {
    id: app.botUserId,
    teamId: state.team.id,
    name: app.name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-"),
    realName: app.name,
    displayName: app.name,
    title: "",
    email: "",
    tz: "America/Los_Angeles",
    isBot: true,
    isAdmin: false,
    deleted: false,
    botId: app.botId,
    appId: app.id
  })
  return app
}

export const makeState = (options: FakeSlackOptions = {}): FakeSlackState => {
  const state: FakeSlackState = {
    ...makeOAuthStore({ now: options.now, autoApprove: options.autoApprove, accessTokenTtlSeconds: 43_200 }),
    team: { id: slackId("T"), name: "Fake Workspace", domain: "fake-workspace" },
    enterprise: { id: slackId("E"), name: "Fake Org" },
    orgInstall: false,
    apps: new Map(),
    defaultAppId: "",
    users: new Map(),
    conversations: new Map(),
    messages: [],
    files: new Map(),
    calls: [],
    tokenRequests: [],
    rateLimit: null,
    lastTs: 0
  }
  state.defaultAppId = addApp(state, {
    ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
    ...(options.signingSecret === undefined ? {} : { signingSecret: options.signingSecret }),
    tokenRotation: options.tokenRotation ?? false
  }).id
  return state
}

export const appOf = (state: FakeSlackState, appId?: string): FakeApp => {
  const app = state.apps.get(appId ?? state.defaultAppId)
  if (app === undefined) throw new Error(`the fake Slack has no app ${appId}`)
  return app
}

export const findMessage = (state: FakeSlackState, channel: string, ts: string): FakeMessage | undefined =>
  state.messages.find((message) => message.channel === channel && message.ts === ts)

/** Bot tokens (`xoxb-`; with rotation `xoxe.xoxb-`, expiring, with single-use `xoxe-` refresh tokens). */
export const grantsOf = (state: FakeSlackState) =>
  makeGrants<AppOwned>(state, { accessPrefix: `xoxb-${state.team.id}-`, refreshPrefix: "xoxe-1-", bytes: 24 })
