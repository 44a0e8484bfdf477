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
import type { FakeSlackControl } from "./FakeSlackControl.ts"
import type { FakeMessage } from "./FakeSlackState.ts"
import { json } from "./FakeSlackWeb.ts"

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value)

const text = (body: Record<string, unknown>, key: string): string | undefined => {
  const value = body[key]
  return typeof value === "string" && value.length > 0 ? value : undefined
}

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

const readBody = async (request: Request): Promise<Record<string, unknown>> => {
  try {
    const parsed: unknown = await request.json()
    return isRecord(parsed) ? parsed : {}
  } catch {
    return {}
  }
}

export const controlRoute = async (control: FakeSlackControl, request: Request, path: string): Promise<Response> => {
  const body = request.method === "POST" ? await readBody(request) : {}
  const missing = (field: string) => json(400, { error: `${field} is required` })
  switch (`${request.method} ${path}`) {
    case "GET /_fake/state":
      return json(200, {
        team: control.team,
        enterprise: control.enterprise,
        app: { ...control.app, redirectUris: control.app.redirectUris }
      })
    case "POST /_fake/users": {
      const name = text(body, "name")
      if (name === undefined) return missing("name")
      const realName = text(body, "realName")
      return json(201, control.seedUser(realName === undefined ? { name } : { name, realName }))
    }
    case "POST /_fake/channels": {
      const name = text(body, "name")
      if (name === undefined) return missing("name")
      const kind = body["kind"] === "private" || body["kind"] === "mpim" ? body["kind"] : "public"
      const members = Array.isArray(body["members"]) ? body["members"].filter((entry): entry is string => typeof entry === "string") : []
      const channel = control.seedChannel({ name, kind, members })
      return json(201, { ...channel, members: [...channel.members] })
    }
    case "POST /_fake/dms": {
      const user = text(body, "user")
      if (user === undefined) return missing("user")
      const dm = control.openDm(user)
      return json(201, { ...dm, members: [...dm.members] })
    }
    case "POST /_fake/say": {
      const channel = text(body, "channel")
      const user = text(body, "user")
      const said = text(body, "text")
      if (channel === undefined || user === undefined || said === undefined) return missing("channel, user and text")
      const threadTs = text(body, "threadTs")
      const result = control.say({ channel, user, text: said, ...(threadTs === undefined ? {} : { threadTs }) })
      return json(201, { message: messageView(result.message), events: result.events })
    }
    case "GET /_fake/messages":
      return json(200, { messages: control.messages(new URL(request.url).searchParams.get("channel") ?? undefined).map(messageView) })
    case "POST /_fake/tokens/expire-all":
      return json(200, { count: control.expireAll() })
    case "POST /_fake/tokens/revoke-all":
      return json(200, { count: control.revokeAll() })
    case "POST /_fake/rate-limit": {
      const mode = body["mode"] === "ratelimited" ? "ratelimited" : "http429"
      const retryAfterSeconds = typeof body["retryAfterSeconds"] === "number" ? body["retryAfterSeconds"] : 30
      const methods = Array.isArray(body["methods"]) ? body["methods"].filter((entry): entry is string => typeof entry === "string") : null
      control.setRateLimited(body["on"] === false ? false : { mode, retryAfterSeconds, methods })
      return json(200, { ok: true })
    }
    case "POST /_fake/auto-approve":
      control.setAutoApprove(body["on"] !== false)
      return json(200, { ok: true })
    default:
      return json(404, { error: `the fake Slack has no control ${request.method} ${path}` })
  }
}
