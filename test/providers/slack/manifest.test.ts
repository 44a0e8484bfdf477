/**
 * Acceptance 4: the app manifest Switchboard generates is valid for Slack's manifest schema
 * (`manifestSchema.ts`, written from Slack's reference, checked with @cfworker/json-schema),
 * every scope and event it names is one Slack documents, each event's scope is requested, and
 * its URLs point at this deployment: the registration's webhook URL and the OAuth callback.
 * The consent URL asks for exactly the manifest's scopes.
 */
import { Validator } from "@cfworker/json-schema"
import { Effect, Option, Redacted, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as SlackManifest from "../../../providers/slack/install/SlackManifest.ts"
import * as SlackOAuth from "../../../providers/slack/install/SlackOAuth.ts"
import { startTestKernel, type TestKernel } from "../../support/kernel.ts"
import { DOCUMENTED_BOT_SCOPES, DOCUMENTED_EVENTS, manifestSchema } from "./manifestSchema.ts"

const validator = new Validator(manifestSchema, "2020-12", false)
const errorsOf = (manifest: unknown) => validator.validate(manifest).errors.map((error) => `${error.instanceLocation}: ${error.error}`)

const Manifest = Schema.Struct({
  display_information: Schema.Struct({ name: Schema.String }),
  features: Schema.Struct({ bot_user: Schema.Struct({ display_name: Schema.String }) }),
  oauth_config: Schema.Struct({ redirect_urls: Schema.Array(Schema.String), scopes: Schema.Struct({ bot: Schema.Array(Schema.String) }) }),
  settings: Schema.Struct({
    event_subscriptions: Schema.Struct({ request_url: Schema.String, bot_events: Schema.Array(Schema.String) }),
    token_rotation_enabled: Schema.Boolean
  })
})
const Created = Schema.Struct({
  registration: Schema.Struct({ id: Schema.String, status: Schema.String }),
  urls: Schema.Struct({ webhookUrl: Schema.String, redirectUrl: Schema.String }),
  fields: Schema.Array(Schema.Struct({ name: Schema.String, secret: Schema.Boolean })),
  manifest: Manifest
})

const urls = { webhookUrl: "https://switchboard.example/webhook/slack/app_123", redirectUrl: "https://switchboard.example/install/slack/callback" }

describe("the generated Slack app manifest", () => {
  it("is valid for Slack's manifest schema, whatever the app's name", () => {
    for (const name of ["Acme Agent", "A name far longer than Slack's thirty-five character limit", "  ", "Émile & Co: 🤖"]) {
      expect(errorsOf(SlackManifest.make({ name, urls })), name).toEqual([])
    }
  })

  it("the schema is strict enough to catch what Slack would refuse", () => {
    const good = Schema.decodeUnknownSync(Manifest)(SlackManifest.make({ name: "Acme", urls }))
    expect(errorsOf({ ...good, display_information: { name: "x".repeat(36) } })).not.toEqual([])
    expect(errorsOf({ ...good, features: { bot_user: { display_name: "Has Spaces" } } })).not.toEqual([])
    expect(errorsOf({ ...good, settings: { ...good.settings, event_subscriptions: { ...good.settings.event_subscriptions, request_url: "http://plain" } } })).not.toEqual([])
    expect(errorsOf({ ...good, settings: { ...good.settings, webhook_secret: "x" } })).not.toEqual([])
  })

  it("names only documented scopes and events, and requests the scope each event needs", () => {
    const manifest = Schema.decodeUnknownSync(Manifest)(SlackManifest.make({ name: "Acme", urls }))
    const scopes = manifest.oauth_config.scopes.bot
    expect(scopes.filter((scope) => !DOCUMENTED_BOT_SCOPES.has(scope))).toEqual([])
    const events = manifest.settings.event_subscriptions.bot_events
    expect(events.filter((event) => !DOCUMENTED_EVENTS.has(event))).toEqual([])
    for (const event of events) {
      const needed = DOCUMENTED_EVENTS.get(event)
      if (needed) expect(scopes, `${event} needs ${needed}`).toContain(needed)
    }
    expect(events).toEqual(expect.arrayContaining(["app_mention", "message.im", "assistant_thread_started", "app_uninstalled", "tokens_revoked"]))
    expect(manifest.settings.token_rotation_enabled).toBe(true)
  })

  it("the consent URL asks for exactly the manifest's bot scopes", async () => {
    const oauth = SlackOAuth.make({
      oauth: Option.some({ clientId: "1.2", clientSecret: Redacted.make("s") }),
      signingSecrets: [],
      apiUrl: "https://slack.com/api",
      oauthUrl: "https://slack.com"
    })
    const url = new URL(await Effect.runPromise(oauth.authorizationUrl({ state: "s", redirectUri: urls.redirectUrl, codeChallenge: Option.none(), app: Option.none() })))
    expect(url.origin + url.pathname).toBe("https://slack.com/oauth/v2/authorize")
    const manifest = Schema.decodeUnknownSync(Manifest)(SlackManifest.make({ name: "Acme", urls }))
    expect(url.searchParams.get("scope")?.split(",")).toEqual(manifest.oauth_config.scopes.bot)
    expect(url.searchParams.get("redirect_uri")).toBe(urls.redirectUrl)
  })
})

describe("the manifest through POST /v1/registrations", () => {
  let kernel: TestKernel
  let apiKey: string
  beforeAll(async () => {
    kernel = await startTestKernel({ env: { SWITCHBOARD_PUBLIC_URL: "https://switchboard.example" } })
    ;({ apiKey } = await kernel.createTenant("acme"))
  })
  afterAll(() => kernel.close())

  it("points at this deployment: the registration's webhook URL and the OAuth callback; valid for Slack", async () => {
    const response = await kernel.request("/v1/registrations", {
      method: "POST",
      apiKey,
      body: JSON.stringify({ providerId: "slack", name: "Acme Helper" })
    })
    expect(response.status).toBe(201)
    const created = Schema.decodeUnknownSync(Created)(await response.json())
    expect(created.registration.status).toBe("pending")
    expect(created.urls).toEqual({
      webhookUrl: `https://switchboard.example/webhook/slack/${created.registration.id}`,
      redirectUrl: "https://switchboard.example/install/slack/callback"
    })
    expect(created.manifest.settings.event_subscriptions.request_url).toBe(created.urls.webhookUrl)
    expect(created.manifest.oauth_config.redirect_urls).toEqual([created.urls.redirectUrl])
    expect(created.manifest.display_information.name).toBe("Acme Helper")
    expect(created.manifest.features.bot_user.display_name).toBe("acme-helper")
    expect(errorsOf(created.manifest)).toEqual([])
    expect(created.fields).toEqual([
      expect.objectContaining({ name: "clientId", secret: false }),
      expect.objectContaining({ name: "clientSecret", secret: true }),
      expect.objectContaining({ name: "signingSecret", secret: true })
    ])
  })
})
