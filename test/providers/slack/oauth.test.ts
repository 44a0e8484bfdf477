/**
 * Slack OAuth v2 and the tenant-app credential check against the fake Slack on loopback, through
 * the real fetch HttpClient: the code exchange and what it records, single-use codes, wrong
 * client credentials, refresh rotation (each refresh token works once), revocation, the fake's
 * consent refusals, and Slack being down while credentials are checked.
 */
import { Effect, Exit, Option, Redacted } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { tokenSet } from "../../../kernel/domain/Credentials.ts"
import type { InstallError } from "../../../kernel/domain/Errors.ts"
import type { SlackSettings } from "../../../providers/slack/SlackConfig.ts"
import * as SlackOAuth from "../../../providers/slack/install/SlackOAuth.ts"
import * as SlackRegistration from "../../../providers/slack/install/SlackRegistration.ts"
import { type FakeSlack, makeFakeSlack } from "../../../sandbox/fakes/slack/FakeSlack.ts"
import { type Served, serve } from "../../support/serve.ts"

const REDIRECT = "https://switchboard.example/install/slack/callback"
const urls = { publicUrl: "https://switchboard.example", webhookUrl: "https://switchboard.example/webhook/slack/app_1", redirectUrl: REDIRECT, manifestCallbackUrl: "" }

const provided = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>) => Effect.provide(effect, FetchHttpClient.layer)
const succeed = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>) => Effect.runPromise(provided(effect))
const failure = async <A>(effect: Effect.Effect<A, InstallError, HttpClient.HttpClient>): Promise<InstallError> => {
  const exit = await Effect.runPromise(Effect.exit(provided(effect)))
  if (Exit.isSuccess(exit)) throw new Error("expected an InstallError")
  const reason = exit.cause.reasons.find((entry) => entry._tag === "Fail")
  if (reason === undefined || reason._tag !== "Fail") throw new Error(`expected a typed failure: ${exit.cause}`)
  return reason.error
}

describe("SlackOAuth against the fake Slack", () => {
  let fake: FakeSlack
  let served: Served
  let settings: SlackSettings

  beforeAll(async () => {
    fake = makeFakeSlack({ clientId: "111.222", clientSecret: "secret-1", signingSecret: "signing1234567890" })
    served = await serve(fake.handler)
    settings = {
      oauth: Option.some({ clientId: "111.222", clientSecret: Redacted.make("secret-1") }),
      signingSecrets: [],
      apiUrl: `${served.url}/api`,
      oauthUrl: served.url
    }
  })
  afterAll(() => served.close())

  /** Approves the consent as a person would; answers the callback's query. */
  const approve = async (oauth = SlackOAuth.make(settings), decision = "allow") => {
    const url = await Effect.runPromise(oauth.authorizationUrl({ state: "st-1", redirectUri: REDIRECT, codeChallenge: Option.none(), app: Option.none() }))
    const page = await fetch(url)
    expect(await page.text()).toContain("is requesting permission to access the Fake Workspace Slack workspace")
    const response = await fetch(`${url.replace("/oauth/v2/authorize?", "/oauth/v2/authorize/approve?")}&decision=${decision}`, { redirect: "manual" })
    expect(response.status).toBe(302)
    return new URL(response.headers.get("location") ?? "").searchParams
  }

  it("exchanges the code for a bot token and learns the workspace, bot user and bot id; a code works once", async () => {
    const oauth = SlackOAuth.make(settings)
    const query = await approve(oauth)
    expect(query.get("state")).toBe("st-1")
    const code = query.get("code") ?? ""
    const grant = await succeed(oauth.exchange({ code, redirectUri: REDIRECT, codeVerifier: Option.none(), query, app: Option.none() }))
    expect(grant).toMatchObject({
      externalAccountId: fake.control.team.id,
      displayName: "Fake Workspace",
      metadata: { botUserId: fake.control.app.botUserId, botId: fake.control.app.botId, appId: fake.control.app.id, tokenRotation: "disabled" }
    })
    expect(Redacted.value(grant.tokens.accessToken)).toMatch(/^xoxb-/)
    expect(grant.tokens.expiresAt).toEqual(Option.none())
    expect(grant.tokens.scopes).toContain("chat:write")
    const again = await failure(oauth.exchange({ code, redirectUri: REDIRECT, codeVerifier: Option.none(), query, app: Option.none() }))
    expect(again).toMatchObject({ reason: "VendorRejected", message: expect.stringContaining("code_already_used") })
  })

  it("a denied consent comes back as access_denied; an unknown client or redirect never redirects", async () => {
    expect((await approve(SlackOAuth.make(settings), "deny")).get("error")).toBe("access_denied")
    const unknown = await fetch(`${served.url}/oauth/v2/authorize?client_id=9.9&scope=chat:write&redirect_uri=${encodeURIComponent(REDIRECT)}`, { redirect: "manual" })
    expect(unknown.status).toBe(400)
    fake.control.allowRedirectUri(REDIRECT)
    const elsewhere = await fetch(`${served.url}/oauth/v2/authorize?client_id=111.222&scope=chat:write&redirect_uri=${encodeURIComponent("https://evil.example/cb")}`, { redirect: "manual" })
    expect(elsewhere.status).toBe(400)
    const badScope = await fetch(`${served.url}/oauth/v2/authorize?client_id=111.222&scope=chat:write,admin&redirect_uri=${encodeURIComponent(REDIRECT)}`, { redirect: "manual" })
    expect(await badScope.text()).toContain("Invalid permissions requested: admin")
  })

  it("a wrong client secret is VendorRejected, naming the credentials", async () => {
    const query = await approve()
    const wrong = SlackOAuth.make({ ...settings, oauth: Option.some({ clientId: "111.222", clientSecret: Redacted.make("nope") }) })
    const error = await failure(wrong.exchange({ code: query.get("code") ?? "", redirectUri: REDIRECT, codeVerifier: Option.none(), query, app: Option.none() }))
    expect(error).toMatchObject({ reason: "VendorRejected", message: expect.stringContaining("bad_client_secret") })
  })

  it("with token rotation: an expiring token, refreshed with a single-use refresh token", async () => {
    fake.control.setTokenRotation(true)
    const oauth = SlackOAuth.make(settings)
    const query = await approve(oauth)
    const grant = await succeed(oauth.exchange({ code: query.get("code") ?? "", redirectUri: REDIRECT, codeVerifier: Option.none(), query, app: Option.none() }))
    expect(grant.metadata["tokenRotation"]).toBe("enabled")
    expect(Option.isSome(grant.tokens.expiresAt)).toBe(true)
    const refresh = Option.getOrThrow(oauth.refresh)
    const next = await succeed(refresh(grant.tokens, Option.none()))
    expect(Redacted.value(next.accessToken)).not.toBe(Redacted.value(grant.tokens.accessToken))
    const refreshTokenOf = (tokens: typeof grant.tokens) => Option.getOrNull(Option.map(tokens.refreshToken, Redacted.value))
    expect(refreshTokenOf(next)).toMatch(/^xoxe-1-/)
    expect(refreshTokenOf(next)).not.toBe(refreshTokenOf(grant.tokens))
    const reused = await failure(refresh(grant.tokens, Option.none()))
    expect(reused).toMatchObject({ reason: "GrantRevoked", message: expect.stringContaining("invalid_refresh_token") })
    fake.control.setTokenRotation(false)
  })

  it("without rotation there is nothing to refresh: the same tokens come back, Slack is not called", async () => {
    const tokens = tokenSet({ accessToken: "xoxb-static", now: 0, scopes: ["chat:write"] })
    const before = fake.control.refreshes().length
    expect(await succeed(Option.getOrThrow(SlackOAuth.make(settings).refresh)(tokens, Option.none()))).toBe(tokens)
    expect(fake.control.refreshes().length).toBe(before)
  })

  it("revokes the bot token with auth.revoke; revoking a dead token is not an error", async () => {
    const token = fake.control.mintToken()
    const revoke = Option.getOrThrow(SlackOAuth.make(settings).revoke)
    const tokens = tokenSet({ accessToken: token, now: 0, scopes: [] })
    await succeed(revoke(tokens, Option.none()))
    expect(fake.control.state.accessTokens.get(token)?.revoked).toBe(true)
    await succeed(revoke(tokens, Option.none()))
  })

  it("checks a tenant app's pasted credentials with Slack before they are stored", async () => {
    const method = SlackRegistration.make(settings)
    const app = fake.control.createApp({ name: "Tenant" })
    const fields = (overrides: Record<string, string> = {}) =>
      Object.fromEntries(Object.entries({ clientId: app.clientId, clientSecret: app.clientSecret, signingSecret: app.signingSecret, ...overrides }).map(([key, value]) => [key, Redacted.make(value)]))
    const grant = await succeed(method.validate(fields(), urls))
    expect(grant).toMatchObject({ externalAppId: app.clientId, metadata: { clientId: app.clientId, webhookUrl: urls.webhookUrl } })
    expect(Redacted.value(grant.secrets["signingSecret"] ?? Redacted.make(""))).toBe(app.signingSecret)
    expect(await failure(method.validate(fields({ clientSecret: "wrong" }), urls))).toMatchObject({ reason: "InvalidCredentials" })
    expect(await failure(method.validate(fields({ signingSecret: "short" }), urls))).toMatchObject({ reason: "InvalidCredentials" })
  })
})

describe("checking credentials while Slack is down", () => {
  it("is VendorUnavailable, not a verdict on the credentials", async () => {
    const down = await serve(async () => new Response("unavailable", { status: 503 }))
    try {
      const method = SlackRegistration.make({ oauth: Option.none(), signingSecrets: [], apiUrl: down.url, oauthUrl: down.url })
      const fields = { clientId: Redacted.make("1.2"), clientSecret: Redacted.make("s"), signingSecret: Redacted.make("abcdef0123456789") }
      expect(await failure(method.validate(fields, urls))).toMatchObject({ reason: "VendorUnavailable" })
    } finally {
      await down.close()
    }
  })
})
