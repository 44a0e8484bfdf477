/**
 * Tenant-owned vendor apps through the real routes, with a minimal provider whose vendor is
 * simulated inline: pending registration → credential paste or manifest flow → OAuth with the
 * app's own client → webhooks at /webhook/<id>/<registration> verified with the app's secret.
 */
import { Effect, Option, Redacted, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { signHmacSha256Hex } from "../../kernel/crypto/Hmac.ts"
import { tokenSet } from "../../kernel/domain/Credentials.ts"
import { InstallError } from "../../kernel/domain/Errors.ts"
import { ProviderId, SessionKey } from "../../kernel/domain/Ids.ts"
import type { IntegrationProvider } from "../../kernel/provider/Provider.ts"
import type { AppContext } from "../../kernel/provider/Registration.ts"
import { on } from "../../kernel/provider/Events.ts"
import { hmacSha256 } from "../../kernel/provider/Signature.ts"
import { defineWebhook, dispatchTo, header } from "../../kernel/provider/Webhook.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { handOffOf } from "../../sandbox/kit/HandOff.ts"

const secretOf = (app: Option.Option<AppContext> | undefined, name: string) =>
  Option.flatMap(app ?? Option.none(), (context) => Option.fromNullishOr(context.secrets[name]))

/** A vendor whose apps are tenant-owned: the app's client id shows up in the consent URL. */
const acme: IntegrationProvider = {
  id: ProviderId.make("acme"),
  displayName: "Acme",
  description: "A test vendor with tenant-owned apps",
  install: [{
    _tag: "OAuth",
    pkce: false,
    authorizationUrl: ({ state, redirectUri, app }) =>
      Effect.succeed(`https://acme.example/authorize?client_id=${
        Option.match(app, { onNone: () => "deployment", onSome: (context) => context.registration.metadata["clientId"] ?? "" })
      }&state=${state}&redirect_uri=${encodeURIComponent(redirectUri)}`),
    exchange: ({ code, app }) =>
      Option.isNone(app)
        ? Effect.fail(new InstallError({ reason: "NotConfigured", message: "acme needs an app" }))
        : Effect.succeed({
          externalAccountId: `acct-${code}`,
          displayName: `Acme ${code}`,
          tokens: tokenSet({ accessToken: `tok-${code}`, now: 0, scopes: ["all"] }),
          metadata: {}
        }),
    refresh: Option.none(),
    revoke: Option.none()
  }],
  registration: {
    fields: [
      { name: "clientId", label: "Client id", secret: false, description: "" },
      { name: "webhookSecret", label: "Webhook secret", secret: true, description: "" }
    ],
    validate: (fields, urls) =>
      Redacted.value(fields["clientId"]!) === "bad"
        ? Effect.fail(new InstallError({ reason: "InvalidCredentials", message: "Acme does not know this app" }))
        : Effect.succeed({
          externalAppId: Redacted.value(fields["clientId"]!),
          displayName: "Pasted app",
          metadata: { clientId: Redacted.value(fields["clientId"]!), webhookUrl: urls.webhookUrl },
          secrets: { webhookSecret: fields["webhookSecret"]! }
        }),
    manifest: ({ name, urls }) => ({ name, hook: urls.webhookUrl, redirect: urls.redirectUrl }),
    manifestFlow: {
      start: ({ state, urls }) =>
        Effect.succeed({ _tag: "FormPost", url: "https://acme.example/apps/new", fields: { state, hook: urls.webhookUrl } }),
      convert: ({ query }) =>
        Effect.succeed({
          externalAppId: `app-${query.get("code")}`,
          displayName: "Manifest app",
          metadata: { clientId: `client-${query.get("code")}` },
          secrets: { webhookSecret: Redacted.make("manifest-secret") }
        })
    }
  },
  webhook: defineWebhook({
    signature: hmacSha256({
      header: "x-acme-signature",
      secrets: ({ app }) => Option.toArray(secretOf(app, "webhookSecret")),
      notConfigured: "no app"
    }),
    envelope: {
      schema: Schema.Struct({ account: Schema.String }),
      deliveryId: (_, source) => header(source, "x-acme-delivery"),
      eventType: () => "ping",
      account: (envelope) => envelope.account,
      lifecycle: (_, __, source) => {
        const lifecycle = header(source, "x-acme-lifecycle")
        return lifecycle === "suspended" || lifecycle === "unsuspended" ? lifecycle : undefined
      }
    },
    events: {
      ping: on(Schema.Unknown, () =>
        dispatchTo({ sessionKey: SessionKey.make("acme:one"), prompt: "hi", mode: "start", context: {}, actor: null }))
    }
  }),
  tools: [],
  scopes: [{ name: "all", description: "everything" }],
  granularities: ["workspace"],
  filters: []
}

describe("tenant-owned apps (registrations)", () => {
  let kernel: TestKernel
  let apiKey: string
  beforeAll(async () => {
    kernel = await startTestKernel({ providers: [Effect.succeed(acme)] })
    ;({ apiKey } = await kernel.createTenant("acme-co"))
  })
  afterAll(() => kernel.close())

  const json = async (response: Response) => ({ status: response.status, body: await response.json() })

  it("pastes app credentials, installs with that app, and verifies its webhooks with its secret", async () => {
    const created = await json(await kernel.request("/v1/registrations", {
      method: "POST",
      apiKey,
      body: JSON.stringify({ providerId: "acme", name: "Our app" })
    }))
    expect(created.status).toBe(201)
    const id: string = created.body.registration.id
    expect(created.body.registration.status).toBe("pending")
    expect(created.body.urls.webhookUrl).toBe(`http://switchboard.test/webhook/acme/${id}`)
    expect(created.body.manifest).toEqual({ name: "Our app", hook: created.body.urls.webhookUrl, redirect: created.body.urls.redirectUrl })

    const early = await kernel.request(`/webhook/acme/${id}`, { method: "POST", body: JSON.stringify({ account: "acct" }) })
    expect(early.status).toBe(503)
    expect((await early.json()).error.message).toMatch(/paste the app's credentials/)

    const rejected = await kernel.request(`/v1/registrations/${id}/credentials`, {
      method: "PUT",
      apiKey,
      body: JSON.stringify({ fields: { clientId: "bad", webhookSecret: "s" } })
    })
    expect(rejected.status).toBe(400)
    const pasted = await json(await kernel.request(`/v1/registrations/${id}/credentials`, {
      method: "PUT",
      apiKey,
      body: JSON.stringify({ fields: { clientId: "client-1", webhookSecret: "app-secret" } })
    }))
    expect(pasted.body.registration).toMatchObject({ status: "active", externalAppId: "client-1", displayName: "Our app" })
    expect(pasted.body.registration.metadata.vendorName).toBe("Pasted app")
    const listed = await kernel.request("/v1/registrations", { apiKey })
    expect(await listed.text()).not.toContain("app-secret")

    // A browser link with a ticket instead of the API key.
    const { body: ticket } = await json(await kernel.request("/v1/install-tickets", { method: "POST", apiKey, body: JSON.stringify({ providerId: "acme" }) }))
    const start = await kernel.request(`/install/acme?registration=${id}&ticket=${ticket.ticket}`, { redirect: "manual" })
    expect(start.status).toBe(200)
    const handOff = await handOffOf(start)
    const consent = handOff.consentUrl
    expect(consent.searchParams.get("client_id")).toBe("client-1")
    const done = await kernel.request(`/install/acme/callback?code=w1&state=${consent.searchParams.get("state")}`, {
      headers: { cookie: handOff.cookie }
    })
    expect(done.status).toBe(200)
    const installations = (await json(await kernel.request("/v1/installations", { apiKey }))).body.installations
    expect(installations[0]).toMatchObject({ externalAccountId: "acct-w1", registrationId: id })
    await kernel.publish(apiKey, { installationId: installations[0].id, agentId: "a", scopes: ["all"], granularity: "workspace" })

    const body = JSON.stringify({ account: "acct-w1" })
    const send = async (secret: string, delivery: string, path = `/webhook/acme/${id}`) =>
      kernel.request(path, {
        method: "POST",
        headers: { "x-acme-delivery": delivery, "x-acme-signature": await Effect.runPromise(signHmacSha256Hex(Redacted.make(secret), body)) },
        body
      })
    expect((await send("wrong", "d0")).status).toBe(401)
    expect((await send("app-secret", "d1", "/webhook/acme/app_unknown")).status).toBe(404)
    expect((await send("app-secret", "d1")).status).toBe(200)
    await kernel.eventually(() => kernel.deliveries.find((delivery) => delivery.dispatch.deliveryId === "d1"))
  })

  it("runs the vendor's manifest flow and continues into installing the new app", async () => {
    const start = await kernel.request("/install/acme/app?name=Made", { apiKey })
    expect(start.status).toBe(200)
    const page = await start.text()
    expect(page).toContain(`action="https://acme.example/apps/new"`)
    const state = /name="state" value="([^"]+)"/.exec(page)![1]!
    const callback = await kernel.request(`/install/acme/app/callback?code=m1&state=${state}`, { redirect: "manual" })
    expect(callback.status).toBe(302)
    const next = new URL(callback.headers.get("location")!, "http://switchboard.test")
    expect(next.pathname).toBe("/install/acme")
    const consent = await handOffOf(await kernel.request(`${next.pathname}${next.search}`, { redirect: "manual" }))
    expect(consent.consentUrl.searchParams.get("client_id")).toBe("client-m1")
    const replay = await kernel.request(`/install/acme/app/callback?code=m1&state=${state}`, { redirect: "manual" })
    expect(replay.status).toBe(400)
  })

  it("a vendor suspension pauses the installation and lifting it resumes it", async () => {
    const registrations = (await json(await kernel.request("/v1/registrations", { apiKey }))).body.registrations
    const id = registrations.find((registration: { status: string; externalAppId: string }) =>
      registration.externalAppId === "client-1"
    ).id
    // Each event has its own body (as a vendor's do): the same signed body again would be a replay.
    const send = async (delivery: string, lifecycle: string) => {
      const body = JSON.stringify({ account: "acct-w1", delivery })
      return kernel.request(`/webhook/acme/${id}`, {
        method: "POST",
        headers: {
          "x-acme-delivery": delivery,
          "x-acme-lifecycle": lifecycle,
          "x-acme-signature": await Effect.runPromise(signHmacSha256Hex(Redacted.make("app-secret"), body))
        },
        body
      })
    }
    const state = async () => {
      const installation = (await json(await kernel.request("/v1/installations", { apiKey }))).body.installations
        .find((entry: { externalAccountId: string }) => entry.externalAccountId === "acct-w1")
      const publication = (await json(await kernel.request("/v1/publications", { apiKey }))).body.publications
        .find((entry: { installationId: string }) => entry.installationId === installation.id)
      return [installation.status, publication.status]
    }
    expect((await send("s1", "suspended")).status).toBe(200)
    expect(await state()).toEqual(["revoked", "paused"])
    expect((await send("s2", "unsuspended")).status).toBe(200)
    expect(await state()).toEqual(["active", "active"])
  })

  it("refuses a forged install ticket", async () => {
    const forged = await kernel.request("/install/acme?ticket=eyJhbGciOiJIUzI1NiJ9.e30.x", { redirect: "manual" })
    expect(forged.status).toBe(401)
  })
})
