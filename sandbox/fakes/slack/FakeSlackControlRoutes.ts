/**
 * The fake Slack's controls over HTTP, for tests whose process does not hold the fake (the
 * runtime matrix, the dev sandbox). Bodies and answers are JSON.
 *
 * | route | what |
 * |---|---|
 * | `GET /_fake/state` | team, enterprise, the default app (ids, client id, signing secret, bot user) |
 * | `POST /_fake/users` | `{ name, realName?, email? }` → the user |
 * | `POST /_fake/channels` | `{ name, kind?, members? }` → the channel (the bot is a member) |
 * | `POST /_fake/dms` | `{ user }` → the DM with the bot |
 * | `POST /_fake/say` | `{ channel, user, text, threadTs? }` → `{ message, events }`, events signed-ready |
 * | `GET /_fake/messages?channel=` | messages (of one conversation, or all) |
 * | `POST /_fake/tokens/expire-all`, `POST /_fake/tokens/revoke-all` | answers `{ count }` |
 * | `POST /_fake/rate-limit` | `{ on, mode?, retryAfterSeconds?, methods? }` |
 * | `POST /_fake/auto-approve` | `{ on }` |
 */
import { queryOf } from "../../kit/FakeControls.ts"
import { readJsonObject } from "../../kit/FakeResponses.ts"
import type { Route, RouteHandler } from "../../kit/FakeRouting.ts"
import type { FakeSlackControl } from "./FakeSlackControl.ts"
import type { FakeMessage } from "./FakeSlackState.ts"
import { json } from "./FakeSlackWeb.ts"

type Body = Record<string, unknown>

const text = (body: Body, key: string): string | undefined => {
  const value = body[key]
  return typeof value === "string" && value.length > 0 ? value : undefined
}

const strings = (value: unknown): Array<string> | undefined =>
  Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : undefined

const messageView = (message: FakeMessage) => ({
  channel: message.channel,
  ts: message.ts,
  threadTs: message.threadTs,
  user: message.user,
  botId: message.botId,
  text: message.text,
  blocks: message.blocks,
  reactions: Object.fromEntries(message.reactions),
  files: message.files
})

// These controls are as lenient as the sandbox scripts that call them: a body that is not a JSON object reads as `{}`.
const withBody = (handle: (body: Body) => Response): RouteHandler => async ({ request }) => handle((await readJsonObject(request)) ?? {})

const missing = (field: string) => json(400, { error: `${field} is required` })

export const controlRoutes = (control: FakeSlackControl): ReadonlyArray<Route> => [
  ["GET", "/_fake/state", () =>
    json(200, {
      team: control.team,
      enterprise: control.enterprise,
      app: { ...control.app, redirectUris: control.app.redirectUris }
    })],
  ["POST", "/_fake/users", withBody((body) => {
    const name = text(body, "name")
    if (name === undefined) return missing("name")
    const realName = text(body, "realName")
    return json(201, control.seedUser(realName === undefined ? { name } : { name, realName }))
  })],
  ["POST", "/_fake/channels", withBody((body) => {
    const name = text(body, "name")
    if (name === undefined) return missing("name")
    const kind = body["kind"] === "private" || body["kind"] === "mpim" ? body["kind"] : "public"
    const channel = control.seedChannel({ name, kind, members: strings(body["members"]) ?? [] })
    return json(201, { ...channel, members: [...channel.members] })
  })],
  ["POST", "/_fake/dms", withBody((body) => {
    const user = text(body, "user")
    if (user === undefined) return missing("user")
    const dm = control.openDm(user)
    return json(201, { ...dm, members: [...dm.members] })
  })],
  ["POST", "/_fake/say", withBody((body) => {
    const channel = text(body, "channel")
    const user = text(body, "user")
    const said = text(body, "text")
    if (channel === undefined || user === undefined || said === undefined) return missing("channel, user and text")
    const threadTs = text(body, "threadTs")
    const result = control.say({ channel, user, text: said, ...(threadTs === undefined ? {} : { threadTs }) })
    return json(201, { message: messageView(result.message), events: result.events })
  })],
  ["GET", "/_fake/messages", (match) => json(200, { messages: control.messages(queryOf(match, "channel")).map(messageView) })],
  ["POST", "/_fake/tokens/expire-all", () => json(200, { count: control.expireAll() })],
  ["POST", "/_fake/tokens/revoke-all", () => json(200, { count: control.revokeAll() })],
  ["POST", "/_fake/rate-limit", withBody((body) => {
    const mode = body["mode"] === "ratelimited" ? "ratelimited" : "http429"
    const retryAfterSeconds = typeof body["retryAfterSeconds"] === "number" ? body["retryAfterSeconds"] : 30
    control.setRateLimited(body["on"] === false ? false : { mode, retryAfterSeconds, methods: strings(body["methods"]) ?? null })
    return json(200, { ok: true })
  })],
  ["POST", "/_fake/auto-approve", withBody((body) => {
    control.setAutoApprove(body["on"] !== false)
    return json(200, { ok: true })
  })]
]
