/**
 * Jira webhook verification: `X-Hub-Signature: sha256=<hex>` over the raw bytes, under any
 * secret of a rotation, checked before the body is parsed; the one-hour replay window on the
 * signed `timestamp`; the delivery identifier header; and what the envelope reads (event type,
 * site). `receive` is verify and envelope at arrival, `reread` the envelope alone (replays).
 */
import { Effect, Exit, Option } from "effect"
import type { RawWebhook } from "../../../kernel/provider/Webhook.ts"
import { describe, expect, it } from "vitest"
import { issueAssigned } from "../../../sandbox/fakes/jira/payloads.ts"
import { AGENT } from "../../../sandbox/fakes/jira/FakeJiraState.ts"
import { installation, OLD_SECRET, publication, raw, receiverFor, settings, SITE } from "./fixtures.ts"

const receiver = receiverFor()
const handler = { verify: (webhook: RawWebhook) => receiver.receive(webhook, Option.none()), decode: receiver.reread }
const payload = (timestamp = Date.now()) => issueAssigned({ site: SITE, issue: { id: "10001", key: "ENG-1" }, to: AGENT, timestamp })

const reasonOf = async (effect: Effect.Effect<unknown, { readonly reason: string }>) => {
  const exit = await Effect.runPromiseExit(effect)
  const error = Exit.findErrorOption(exit)
  return Option.isSome(error) ? error.value.reason : "passed"
}

describe("Jira webhook verification", () => {
  it("accepts the signature under the current and the previous secret", async () => {
    expect(await reasonOf(handler.verify(await raw(payload())))).toBe("passed")
    expect(await reasonOf(handler.verify(await raw(payload(), { secret: OLD_SECRET })))).toBe("passed")
  })

  it("rejects a wrong, missing, truncated or unprefixed signature, and a tampered body", async () => {
    const good = await raw(payload())
    const wrong = await raw(payload(), { secret: "nope" })
    const withHeader = (value: string | null) => {
      const headers = new Headers(good.headers)
      if (value === null) headers.delete("x-hub-signature")
      else headers.set("x-hub-signature", value)
      return { ...good, headers }
    }
    const signature = good.headers.get("x-hub-signature") ?? ""
    for (const webhook of [
      wrong,
      withHeader(null),
      withHeader(signature.slice(0, 40)),
      withHeader(signature.replace("sha256=", "")),
      withHeader(signature.replace("sha256=", "sha1=")),
      { ...good, body: new TextEncoder().encode(`${new TextDecoder().decode(good.body)} `) }
    ]) {
      expect(await reasonOf(handler.verify(webhook))).toBe("BadSignature")
    }
  })

  it("checks the signature before parsing: garbage with a bad signature is BadSignature, not Malformed", async () => {
    expect(await reasonOf(handler.verify(await raw("{not json", { secret: "nope" })))).toBe("BadSignature")
    expect(await reasonOf(handler.verify(await raw("{not json")))).toBe("Malformed")
  })

  it("refuses deliveries older than an hour or from the future, and answers NotConfigured without secrets", async () => {
    const now = Date.now()
    expect(await reasonOf(handler.verify(await raw(payload(now - 59 * 60_000), { receivedAt: now })))).toBe("passed")
    expect(await reasonOf(handler.verify(await raw(payload(now - 61 * 60_000), { receivedAt: now })))).toBe("StaleTimestamp")
    expect(await reasonOf(handler.verify(await raw(payload(now + 10 * 60_000), { receivedAt: now })))).toBe("StaleTimestamp")
    expect(await reasonOf(receiverFor(settings({ webhookSecrets: [] })).receive(await raw(payload()), Option.none()))).toBe("NotConfigured")
  })

  it("decodes the delivery id, the event type and the site, and needs the identifier header", async () => {
    const webhook = await raw(payload(), { deliveryId: "b1c2d3" })
    const decoded = await Effect.runPromise(handler.decode(webhook))
    expect(decoded).toMatchObject({ deliveryId: "b1c2d3", eventType: "jira:issue_updated", externalAccountId: Option.some("acme.atlassian.net") })
    const headers = new Headers(webhook.headers)
    headers.delete("x-atlassian-webhook-identifier")
    expect(await reasonOf(handler.decode({ ...webhook, headers }))).toBe("Malformed")
  })

  it("decodes unknown events without failing; a known event without its parts is accepted and ignored with the reason", async () => {
    const unknown = await Effect.runPromise(handler.decode(await raw({ webhookEvent: "sprint_started", timestamp: Date.now() })))
    expect(unknown.eventType).toBe("sprint_started")
    expect(Option.isNone(unknown.externalAccountId)).toBe(true)
    for (const partial of [
      { webhookEvent: "comment_created", timestamp: Date.now(), issue: { id: "1", key: "ENG-1" } },
      { webhookEvent: "jira:issue_updated", timestamp: Date.now(), issue: { id: "1" } }
    ]) {
      const decoded = await Effect.runPromise(handler.verify(await raw(partial)))
      expect(decoded.decide(installation(), publication())).toMatchObject({
        _tag: "Ignore",
        reason: expect.stringContaining(`Jira ${partial.webhookEvent} payload is not in the documented shape`)
      })
    }
  })

  it("refuses a signed delivery with nothing to route by: no event type, not an object", async () => {
    for (const body of [{ timestamp: Date.now() }, `[${Date.now()}]`, "42"]) {
      expect(await reasonOf(handler.verify(await raw(body)))).toBe("Malformed")
    }
  })

  it("tolerates a changelog item without toString (a struct key that is also an Object.prototype method)", async () => {
    const body = { ...payload(), changelog: { id: "1", items: [{ field: "assignee", from: null, to: AGENT.accountId }] } }
    expect(await reasonOf(handler.decode(await raw(body)))).toBe("passed")
    const decoded = await Effect.runPromise(handler.decode(await raw(body)))
    expect(decoded.decide(installation(), publication())).toMatchObject({ _tag: "Dispatch" })
  })
})
