/**
 * The Slack Web API client and its error mapping, against the fake Slack on loopback through the
 * real fetch HttpClient: JSON bodies for the write methods and form bodies for the form-only
 * ones (the fake, like Slack, does not read JSON there), `missing_scope` naming the scope, an
 * expired token as Unauthorized (so the kernel refreshes), a non-JSON 5xx as VendorError, and
 * the mapping table for Slack's error codes.
 */
import { Effect, Option, Redacted } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { ToolError } from "../../../kernel/domain/Errors.ts"
import * as SlackClient from "../../../providers/slack/SlackClient.ts"
import * as SlackErrors from "../../../providers/slack/SlackErrors.ts"
import { ConversationsReplies } from "../../../providers/slack/tools/ReadThread.ts"
import { PostMessage } from "../../../providers/slack/tools/PostMessage.ts"
import { type FakeSlack, makeFakeSlack } from "../../../sandbox/fakes/slack/FakeSlack.ts"
import { type Served, serve } from "../../support/serve.ts"

const run = <A>(effect: Effect.Effect<A, ToolError, HttpClient.HttpClient>) =>
  Effect.runPromise(Effect.flip(Effect.provide(effect, FetchHttpClient.layer)))
const succeed = <A>(effect: Effect.Effect<A, ToolError, HttpClient.HttpClient>) =>
  Effect.runPromise(Effect.provide(effect, FetchHttpClient.layer))

describe("SlackClient against the fake Slack", () => {
  let fake: FakeSlack
  let served: Served
  let client: SlackClient.SlackClient
  let channel: string
  let token: Redacted.Redacted<string>

  beforeAll(async () => {
    fake = makeFakeSlack()
    served = await serve(fake.handler)
    client = SlackClient.make(`${served.url}/api`)
    const ada = fake.control.seedUser({ name: "ada" })
    channel = fake.control.seedChannel({ name: "general", members: [ada.id] }).id
    token = Redacted.make(fake.control.mintToken())
  })
  afterAll(() => served.close())

  it("sends chat.postMessage as JSON and conversations.replies as a form", async () => {
    const posted = await succeed(client.call(PostMessage, { channel, text: "hi", blocks: [{ type: "divider" }] }, token))
    const thread = await succeed(client.call(ConversationsReplies, { channel, ts: posted.ts, limit: 5 }, token))
    expect(thread.messages.map((message) => message.text)).toEqual(["hi"])
    expect(fake.control.calls().slice(-2).map((entry) => [entry.method, entry.encoding])).toEqual([
      ["chat.postMessage", "json"],
      ["conversations.replies", "form"]
    ])
  })

  it("a form-only method does not read a JSON body, as on Slack", async () => {
    const jsonReplies = SlackClient.method("conversations.replies", "json", ConversationsReplies.response)
    const error = await run(client.call(jsonReplies, { channel, ts: "1.1" }, token))
    expect(error).toMatchObject({ reason: "NotFound", message: expect.stringContaining("channel_not_found") })
  })

  it("missing_scope names the scope needed and the scopes granted", async () => {
    const narrow = Redacted.make(fake.control.mintToken({ scopes: ["chat:write"] }))
    const error = await run(client.call(ConversationsReplies, { channel, ts: "1.1" }, narrow))
    expect(error).toMatchObject({ reason: "Forbidden" })
    expect(error.message).toContain("missing_scope")
    expect(error.message).toContain("needs channels:history; granted: chat:write")
  })

  it("an expired token is Unauthorized; an unknown one too", async () => {
    const expired = Redacted.make(fake.control.mintToken({ expiresInSeconds: -1 }))
    expect(await run(client.call(PostMessage, { channel, text: "x" }, expired))).toMatchObject({ reason: "Unauthorized", message: expect.stringContaining("token_expired") })
    expect(await run(client.call(PostMessage, { channel, text: "x" }, Redacted.make("xoxb-nope")))).toMatchObject({ reason: "Unauthorized", message: expect.stringContaining("invalid_auth") })
  })

  it("tolerated codes come back as an answer, not a failure", async () => {
    const posted = await succeed(client.call(PostMessage, { channel, text: "react to me" }, token))
    const reactions = SlackClient.method("reactions.add", "json", SlackClient.Envelope)
    expect(await succeed(client.attempt(reactions, { channel, timestamp: posted.ts, name: "eyes" }, token, ["already_reacted"]))).toMatchObject({ _tag: "Ok" })
    expect(await succeed(client.attempt(reactions, { channel, timestamp: posted.ts, name: "eyes" }, token, ["already_reacted"]))).toEqual({ _tag: "Refused", code: "already_reacted" })
  })
})

describe("SlackClient when Slack is down", () => {
  it("a non-JSON 502 is a VendorError saying so; an unreachable host too", async () => {
    const down = await serve(async () => new Response("<html>Bad Gateway</html>", { status: 502 }))
    try {
      const error = await run(SlackClient.make(down.url).call(PostMessage, { channel: "C1", text: "x" }, Redacted.make("t")))
      expect(error).toMatchObject({ reason: "VendorError", message: expect.stringContaining("HTTP 502") })
    } finally {
      await down.close()
    }
    const unreachable = await run(SlackClient.make("http://127.0.0.1:9").call(PostMessage, { channel: "C1", text: "x" }, Redacted.make("t")))
    expect(unreachable).toMatchObject({ reason: "VendorError", message: expect.stringContaining("Could not reach Slack") })
  })

  it("sends file bytes only to Slack's own hosts or the API's origin, follows no redirect, and sends nothing elsewhere", async () => {
    const elsewhere = await serve(async () => new Response("ok"))
    let reached = 0
    const counting = await serve(async () => (reached++, new Response("ok")))
    try {
      const bytes = new Uint8Array([1, 2, 3])
      const refused = await run(SlackClient.make("https://slack.com/api").upload(`${counting.url}/upload/F1`, "a.txt", bytes))
      expect(refused).toMatchObject({ reason: "VendorError", message: expect.stringContaining("outside Slack") })
      expect(reached).toBe(0)
      // The API's own origin (a proxy, the fake) is trusted as the API is.
      await succeed(SlackClient.make(`${elsewhere.url}/api`).upload(`${elsewhere.url}/upload/F1`, "a.txt", bytes))
      // A redirect from the upload host is refused, not followed: the bytes never reach where it points.
      const redirecting = await serve(async () => new Response(null, { status: 307, headers: { location: `${counting.url}/upload/F1` } }))
      try {
        const redirected = await run(SlackClient.make(`${redirecting.url}/api`).upload(`${redirecting.url}/upload/F1`, "a.txt", bytes))
        expect(redirected).toMatchObject({ reason: "VendorError", message: expect.stringContaining("redirect (HTTP 307)") })
        expect(reached).toBe(0)
      } finally {
        await redirecting.close()
      }
    } finally {
      await elsewhere.close()
      await counting.close()
    }
    const apiUrl = "https://slack.com/api"
    expect(SlackClient.isUploadUrl("https://files.slack.com/upload/v1/abc", apiUrl)).toBe(true)
    expect(SlackClient.isUploadUrl("http://files.slack.com/upload/v1/abc", apiUrl)).toBe(false)
    expect(SlackClient.isUploadUrl("https://files.slack.com.evil.example/upload", apiUrl)).toBe(false)
    expect(SlackClient.isUploadUrl("https://evilslack.com/upload", apiUrl)).toBe(false)
    expect(SlackClient.isUploadUrl("https://user:pw@files.slack.com/upload", apiUrl)).toBe(false)
    expect(SlackClient.isUploadUrl("http://169.254.169.254/latest/meta-data", apiUrl)).toBe(false)
    expect(SlackClient.isUploadUrl("not a url", apiUrl)).toBe(false)
  })
})

describe("SlackErrors.toToolError", () => {
  const failure = (code: string | null, status = 200, extra: Partial<SlackErrors.SlackFailure> = {}) =>
    SlackErrors.toToolError({ method: "chat.postMessage", status, code: Option.fromNullishOr(code), retryAfter: Option.none(), ...extra })

  it("maps Slack's codes to reasons, with a hint the agent can act on", () => {
    const cases: ReadonlyArray<readonly [string, ToolError["reason"]]> = [
      ["invalid_auth", "Unauthorized"],
      ["token_revoked", "Unauthorized"],
      ["account_inactive", "Unauthorized"],
      ["not_in_channel", "Forbidden"],
      ["is_archived", "Forbidden"],
      ["missing_scope", "Forbidden"],
      ["channel_not_found", "NotFound"],
      ["message_not_found", "NotFound"],
      ["no_text", "InvalidInput"],
      ["invalid_blocks", "InvalidInput"],
      ["invalid_something_new", "InvalidInput"],
      ["internal_error", "VendorError"],
      ["something_else_entirely", "VendorError"]
    ]
    for (const [code, reason] of cases) expect([code, failure(code).reason]).toEqual([code, reason])
    expect(failure("not_in_channel").message).toBe(
      "Slack chat.postMessage failed: not_in_channel — the bot is not a member of this channel; invite it (/invite @bot) or use another channel"
    )
  })

  it("429 and ratelimited are RateLimited with Retry-After, or a minute without it", () => {
    expect(failure("ratelimited", 429, { retryAfter: Option.some("7") })).toMatchObject({ reason: "RateLimited", retryAfterSeconds: 7 })
    expect(failure(null, 429, { retryAfter: Option.some("2.2") })).toMatchObject({ retryAfterSeconds: 3 })
    expect(failure("ratelimited", 200)).toMatchObject({ reason: "RateLimited", retryAfterSeconds: 60 })
    expect(failure("ratelimited", 429, { retryAfter: Option.some("soon") })).toMatchObject({ retryAfterSeconds: 60 })
  })

  it("without a body, the HTTP status decides", () => {
    expect(failure(null, 401).reason).toBe("Unauthorized")
    expect(failure(null, 403).reason).toBe("Forbidden")
    expect(failure(null, 503)).toMatchObject({ reason: "VendorError", message: expect.stringContaining("HTTP 503") })
  })

  it("argument problems carry Slack's response_metadata messages", () => {
    const error = failure("invalid_arguments", 200, { messages: ["[ERROR] missing required field: channel"] })
    expect(error.message).toContain("[[ERROR] missing required field: channel]")
  })
})
