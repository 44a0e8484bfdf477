/**
 * GitHub webhook verification and decoding, on the declaration through the kernel's receiver:
 * `X-Hub-Signature-256` over the raw bytes, the tenant app's secret with a previous one accepted
 * for 24 hours after a rotation was pasted, the deployment's comma-separated secrets, and
 * decoding that tolerates form-encoded bodies and unknown events, refuses what has nothing to
 * route by, and records a handled event that lacks its parts as ignored with the reason.
 */
import { Effect, Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { AppRegistrationId } from "../../../kernel/domain/AppRegistration.ts"
import { ProviderId, TenantId } from "../../../kernel/domain/Ids.ts"
import type { AppContext } from "../../../kernel/provider/Registration.ts"
import type { RawWebhook } from "../../../kernel/provider/Webhook.ts"
import { type Receiver, receiverOf } from "../../../kernel/webhooks/Receiver.ts"
import type { GitHubSettings } from "../../../providers/github/GitHubSettings.ts"
import * as GitHubWebhook from "../../../providers/github/webhook/GitHubWebhook.ts"
import { signGitHubWebhook } from "../../../sandbox/fakes/github/sign.ts"
import { github, installation, publication } from "../../store/fixtures.ts"

const { ROTATION_WINDOW_MS } = GitHubWebhook

const SET_AT = Date.UTC(2026, 10, 1)

const settings = (webhookSecrets: ReadonlyArray<string> = []): GitHubSettings => ({
  apiUrl: "https://api.github.test",
  webUrl: "https://github.test",
  triggerLabel: "agent",
  app: Option.none(),
  webhookSecrets: webhookSecrets.map((secret) => Redacted.make(secret))
})

const appWith = (webhookSecret: string): Option.Option<AppContext> =>
  Option.some({
    registration: {
      id: AppRegistrationId.make("app_1"),
      tenantId: TenantId.make("ten_1"),
      providerId: ProviderId.make("github"),
      status: "active",
      externalAppId: "42",
      displayName: "Switchboard",
      metadata: { slug: "switchboard", webhookSecretSetAt: String(SET_AT) },
      createdAt: SET_AT,
      updatedAt: SET_AT
    },
    secrets: { webhookSecret: Redacted.make(webhookSecret), privateKey: Redacted.make("unused") }
  })

const raw = async (secret: string, payload: unknown, options: { readonly event?: string; readonly at?: number } = {}): Promise<RawWebhook> => {
  const signed = await signGitHubWebhook({ secret, event: options.event ?? "issues", payload, deliveryId: "d-1" })
  return { headers: new Headers(signed.headers), body: new TextEncoder().encode(signed.body), receivedAt: options.at ?? SET_AT + 1000 }
}

const receiverFor = (webhookSecrets: ReadonlyArray<string> = []): Receiver =>
  receiverOf({ displayName: "GitHub", webhook: GitHubWebhook.make(settings(webhookSecrets)) })

const verify = (handler: Receiver, webhook: RawWebhook, app: Option.Option<AppContext> = Option.none()) =>
  Effect.runPromise(Effect.result(handler.receive(webhook, app)))

const reasonOf = async (handler: Receiver, webhook: RawWebhook, app: Option.Option<AppContext> = Option.none()) => {
  const result = await verify(handler, webhook, app)
  return result._tag === "Failure" ? result.failure.reason : "ok"
}

describe("GitHub webhook verification", () => {
  const payload = { action: "opened", installation: { id: 7 } }

  it("accepts the tenant app's secret and refuses any other", async () => {
    const handler = receiverFor()
    expect(await reasonOf(handler, await raw("new-secret", payload), appWith("new-secret"))).toBe("ok")
    expect(await reasonOf(handler, await raw("guess", payload), appWith("new-secret"))).toBe("BadSignature")
  })

  it("accepts the previous secret for 24 hours after a rotation, then only the new one", async () => {
    const handler = receiverFor()
    const app = appWith("new-secret,old-secret")
    expect(await reasonOf(handler, await raw("old-secret", payload, { at: SET_AT + ROTATION_WINDOW_MS - 1 }), app)).toBe("ok")
    expect(await reasonOf(handler, await raw("old-secret", payload, { at: SET_AT + ROTATION_WINDOW_MS + 1 }), app)).toBe("BadSignature")
    expect(await reasonOf(handler, await raw("new-secret", payload, { at: SET_AT + 10 * ROTATION_WINDOW_MS }), app)).toBe("ok")
  })

  it("uses the deployment's secrets, any of a comma-separated list, for /webhook/github", async () => {
    const handler = receiverFor(["current", "previous"])
    expect(await reasonOf(handler, await raw("previous", payload))).toBe("ok")
    expect(await reasonOf(handler, await raw("other", payload))).toBe("BadSignature")
    expect(await reasonOf(receiverFor(), await raw("any", payload))).toBe("NotConfigured")
  })

  it("refuses a missing, legacy-only or malformed signature header", async () => {
    const handler = receiverFor(["current"])
    const signed = await raw("current", payload)
    const without = new Headers(signed.headers)
    without.delete("x-hub-signature-256")
    expect(await reasonOf(handler, { ...signed, headers: without })).toBe("BadSignature")
    const truncated = new Headers(signed.headers)
    truncated.set("x-hub-signature-256", "sha256=abc")
    expect(await reasonOf(handler, { ...signed, headers: truncated })).toBe("BadSignature")
    const tampered = { ...signed, body: new TextEncoder().encode(JSON.stringify({ ...payload, action: "closed" })) }
    expect(await reasonOf(handler, tampered)).toBe("BadSignature")
  })
})

describe("GitHub webhook decoding", () => {
  const handler = receiverFor(["s"])
  const decode = (webhook: RawWebhook) => Effect.runPromise(Effect.result(handler.reread(webhook)))

  it("names the event with its action and the installation as the account", async () => {
    const result = await decode(await raw("s", { action: "sparkled", installation: { id: 99 }, extra: [1] }, { event: "brand_new" }))
    expect(result._tag === "Success" && { type: result.success.eventType, account: result.success.externalAccountId }).toEqual({
      type: "brand_new.sparkled",
      account: Option.some("99")
    })
  })

  it("reads a form-encoded delivery's payload field", async () => {
    const body = new URLSearchParams({ payload: JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 }) }).toString()
    const result = await decode({
      headers: new Headers({ "content-type": "application/x-www-form-urlencoded", "x-github-event": "ping", "x-github-delivery": "d-2" }),
      body: new TextEncoder().encode(body),
      receivedAt: 0
    })
    expect(result._tag === "Success" && Option.map(result.success.handshake, (handshake) => handshake.body)).toEqual(
      Option.some(JSON.stringify({ ok: true, zen: "Keep it logically awesome." }))
    )
  })

  it("refuses a missing delivery id, a non-JSON body, a non-object body and a bad event name", async () => {
    const signed = await raw("s", { action: "opened", installation: { id: 1 } })
    const noDelivery = new Headers(signed.headers)
    noDelivery.delete("x-github-delivery")
    const badEvent = new Headers(signed.headers)
    badEvent.set("x-github-event", "Issues!")
    const failures = await Promise.all([
      decode({ ...signed, headers: noDelivery }),
      decode({ ...signed, body: new TextEncoder().encode("not json") }),
      decode({ ...signed, body: new TextEncoder().encode("[1]") }),
      decode({ ...signed, headers: badEvent })
    ])
    expect(failures.map((result) => result._tag === "Failure" ? result.failure.reason : "ok")).toEqual(["Malformed", "Malformed", "Malformed", "Malformed"])
  })

  it("accepts event names with digits", async () => {
    const result = await decode(await raw("s", { action: "edited", installation: { id: 5 } }, { event: "projects_v2_item" }))
    expect(result._tag === "Success" && result.success.eventType).toBe("projects_v2_item.edited")
  })

  it("accepts a handled event without its parts, and decides it ignored with the reason", async () => {
    const result = await Effect.runPromise(Effect.result(handler.receive(await raw("s", { action: "opened", installation: { id: 1 } }), Option.none())))
    expect(result._tag).toBe("Success")
    if (result._tag !== "Success") return
    const owner = installation(TenantId.make("ten_1"), "ins_1", { providerId: github, externalAccountId: "1", metadata: { appSlug: "switchboard" } })
    const decision = result.success.decide(owner, publication(owner.tenantId, "pub_1", owner.id, { filters: {} }))
    expect(decision._tag).toBe("Ignore")
    expect(decision._tag === "Ignore" && decision.reason).toMatch(/^GitHub issues\.opened payload is not in the documented shape/)
  })
})
