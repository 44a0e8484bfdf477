/**
 * GitHub webhook verification and decoding, on the handler itself: `X-Hub-Signature-256` over
 * the raw bytes, the tenant app's secret with a previous one accepted for 24 hours after a
 * rotation was pasted, the deployment's comma-separated secrets, and decoding that tolerates
 * form-encoded bodies and unknown events but refuses a handled event that lacks its parts.
 */
import { Effect, Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { AppRegistrationId } from "../../../kernel/domain/AppRegistration.ts"
import { ProviderId, TenantId } from "../../../kernel/domain/Ids.ts"
import type { AppContext } from "../../../kernel/provider/Registration.ts"
import type { RawWebhook } from "../../../kernel/provider/Webhook.ts"
import { ROTATION_WINDOW_MS } from "../../../providers/github/GitHubApp.ts"
import type { GitHubSettings } from "../../../providers/github/GitHubConfig.ts"
import * as GitHubWebhooks from "../../../providers/github/GitHubWebhooks.ts"
import { signGitHubWebhook } from "../../../sandbox/fakes/github/sign.ts"

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

const verify = (handler: ReturnType<typeof GitHubWebhooks.make>, webhook: RawWebhook, app: Option.Option<AppContext> = Option.none()) =>
  Effect.runPromise(Effect.result(handler.verify(webhook, app)))

const reasonOf = async (handler: ReturnType<typeof GitHubWebhooks.make>, webhook: RawWebhook, app: Option.Option<AppContext> = Option.none()) => {
  const result = await verify(handler, webhook, app)
  return result._tag === "Failure" ? result.failure.reason : "ok"
}

describe("GitHub webhook verification", () => {
  const payload = { action: "opened", installation: { id: 7 } }

  it("accepts the tenant app's secret and refuses any other", async () => {
    const handler = GitHubWebhooks.make(settings())
    expect(await reasonOf(handler, await raw("new-secret", payload), appWith("new-secret"))).toBe("ok")
    expect(await reasonOf(handler, await raw("guess", payload), appWith("new-secret"))).toBe("BadSignature")
  })

  it("accepts the previous secret for 24 hours after a rotation, then only the new one", async () => {
    const handler = GitHubWebhooks.make(settings())
    const app = appWith("new-secret,old-secret")
    expect(await reasonOf(handler, await raw("old-secret", payload, { at: SET_AT + ROTATION_WINDOW_MS - 1 }), app)).toBe("ok")
    expect(await reasonOf(handler, await raw("old-secret", payload, { at: SET_AT + ROTATION_WINDOW_MS + 1 }), app)).toBe("BadSignature")
    expect(await reasonOf(handler, await raw("new-secret", payload, { at: SET_AT + 10 * ROTATION_WINDOW_MS }), app)).toBe("ok")
  })

  it("uses the deployment's secrets, any of a comma-separated list, for /webhook/github", async () => {
    const handler = GitHubWebhooks.make(settings(["current", "previous"]))
    expect(await reasonOf(handler, await raw("previous", payload))).toBe("ok")
    expect(await reasonOf(handler, await raw("other", payload))).toBe("BadSignature")
    expect(await reasonOf(GitHubWebhooks.make(settings()), await raw("any", payload))).toBe("NotConfigured")
  })

  it("refuses a missing, legacy-only or malformed signature header", async () => {
    const handler = GitHubWebhooks.make(settings(["current"]))
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
  const handler = GitHubWebhooks.make(settings(["s"]))
  const decode = (webhook: RawWebhook) => Effect.runPromise(Effect.result(handler.decode(webhook)))

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

  it("refuses a missing delivery id, a non-JSON body and a handled event without its parts", async () => {
    const signed = await raw("s", { action: "opened", installation: { id: 1 } })
    const noDelivery = new Headers(signed.headers)
    noDelivery.delete("x-github-delivery")
    const failures = await Promise.all([
      decode({ ...signed, headers: noDelivery }),
      decode({ ...signed, body: new TextEncoder().encode("not json") }),
      decode(signed)
    ])
    expect(failures.map((result) => result._tag === "Failure" ? result.failure.reason : "ok")).toEqual(["Malformed", "Malformed", "Malformed"])
  })
})
