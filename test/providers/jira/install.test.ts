/**
 * Installing Jira against the fake: the 3LO consent URL, the code exchange (tokens, the site from
 * accessible-resources, the account from /myself), rotating refreshes and a dead refresh token,
 * wrong client credentials, missing settings; and credential paste (checked with /myself over
 * Basic auth, the site URL held to the allowlist before anything is sent).
 */
import { Effect, Exit, Option, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { describe, expect, it } from "vitest"
import type { InstallError } from "../../../kernel/domain/Errors.ts"
import * as JiraClient from "../../../providers/jira/client/JiraClient.ts"
import * as JiraCredentials from "../../../providers/jira/install/CredentialPaste.ts"
import { allowedOrigin } from "../../../kernel/provider/PastedUrl.ts"
import * as JiraOAuth from "../../../providers/jira/install/OAuth.ts"
import { servedFakeJira, settings } from "./fixtures.ts"

const run = <A>(effect: Effect.Effect<A, InstallError, never>) => Effect.runPromiseExit(effect)
const failure = (exit: Exit.Exit<unknown, InstallError>) => Option.getOrUndefined(Exit.findErrorOption(exit))

const REDIRECT = "http://switchboard.test/install/jira/callback"

/** Walks the consent URL the way the browser would and answers the callback's query. */
const consent = async (url: string) => {
  const answer = await fetch(url, { redirect: "manual" })
  return new URL(answer.headers.get("location") ?? "").searchParams
}

describe("Jira OAuth 2.0 (3LO)", () => {
  it("asks Atlassian's consent page for the api.atlassian.com audience, offline access and consent", async () => {
    const oauth = JiraOAuth.make(settings(), JiraClient.make("https://api.atlassian.com", []))
    const url = new URL(await Effect.runPromise(oauth.authorizationUrl({ state: "st", redirectUri: REDIRECT, codeChallenge: Option.none(), app: Option.none() })))
    expect(`${url.origin}${url.pathname}`).toBe("https://auth.atlassian.com/authorize")
    expect(Object.fromEntries(url.searchParams)).toEqual({
      audience: "api.atlassian.com",
      client_id: "fake-jira-client-id",
      scope: "read:jira-work write:jira-work read:jira-user offline_access",
      redirect_uri: REDIRECT,
      state: "st",
      response_type: "code",
      prompt: "consent"
    })
    expect(oauth.pkce).toBe(false)
    expect(Option.isNone(oauth.revoke)).toBe(true)
    const unconfigured = JiraOAuth.make(settings({ oauth: Option.none() }), JiraClient.make("x", []))
    expect(failure(await run(unconfigured.authorizationUrl({ state: "s", redirectUri: REDIRECT, codeChallenge: Option.none(), app: Option.none() }))))
      .toMatchObject({ reason: "NotConfigured" })
  })

  it("exchanges the code for the site, the account and rotating tokens; a spent refresh token is GrantRevoked", async () => {
    await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      const { fake, settings: pointed, url } = yield* servedFakeJira()
      const oauth = JiraOAuth.make(pointed, JiraClient.make(pointed.apiUrl, pointed.siteHosts))
      const start = yield* oauth.authorizationUrl({ state: "s1", redirectUri: REDIRECT, codeChallenge: Option.none(), app: Option.none() })
      const query = yield* Effect.promise(() => consent(start))
      expect(query.get("state")).toBe("s1")
      const grant = yield* oauth.exchange({ code: query.get("code") ?? "", redirectUri: REDIRECT, codeVerifier: Option.none(), query, app: Option.none() })
      expect(grant).toMatchObject({
        externalAccountId: new URL(url).host,
        displayName: "Fake Site",
        metadata: { authType: "oauth", cloudId: fake.control.cloudId, siteUrl: url, accountId: fake.control.agent.accountId, accountName: "Switchboard Agent" }
      })
      expect(grant.tokens.scopes).toContain("offline_access")
      expect(Option.isSome(grant.tokens.expiresAt)).toBe(true)
      const refresh = Option.getOrThrow(oauth.refresh)
      const next = yield* refresh(grant.tokens)
      expect(Redacted.value(next.accessToken)).not.toBe(Redacted.value(grant.tokens.accessToken))
      expect(Option.map(next.refreshToken, Redacted.value)).not.toEqual(Option.map(grant.tokens.refreshToken, Redacted.value))
      const replayed = yield* Effect.exit(refresh(grant.tokens))
      expect(failure(replayed)).toMatchObject({ reason: "GrantRevoked" })
      expect(fake.control.refreshes().map((request) => request.status)).toEqual([200, 403])
    }).pipe(Effect.provide(FetchHttpClient.layer))))
  })

  it("a wrong client secret is VendorRejected, naming the settings to check", async () => {
    await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      const { settings: pointed } = yield* servedFakeJira()
      const wrong = { ...pointed, oauth: Option.map(pointed.oauth, (credentials) => ({ ...credentials, clientSecret: Redacted.make("wrong") })) }
      const oauth = JiraOAuth.make(wrong, JiraClient.make(pointed.apiUrl, pointed.siteHosts))
      const start = yield* oauth.authorizationUrl({ state: "s", redirectUri: REDIRECT, codeChallenge: Option.none(), app: Option.none() })
      const query = yield* Effect.promise(() => consent(start))
      const exit = yield* Effect.exit(oauth.exchange({ code: query.get("code") ?? "", redirectUri: REDIRECT, codeVerifier: Option.none(), query, app: Option.none() }))
      expect(failure(exit)).toMatchObject({ reason: "VendorRejected", message: expect.stringContaining("JIRA_CLIENT_SECRET") })
    }).pipe(Effect.provide(FetchHttpClient.layer))))
  })
})

describe("Jira credential paste", () => {
  const fields = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Redacted.make(value)]))

  it("checks the site, e-mail and API token with /myself and keeps the secrets out of the metadata", async () => {
    await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      const { fake, settings: pointed, url } = yield* servedFakeJira()
      const paste = JiraCredentials.make(pointed, JiraClient.make(pointed.apiUrl, pointed.siteHosts))
      expect(paste.fields.map((field) => [field.name, field.secret])).toEqual([["siteUrl", false], ["email", false], ["apiToken", true]])
      const grant = yield* paste.validate(fields({ siteUrl: `${url}/jira/your-work`, email: fake.control.agent.emailAddress, apiToken: fake.control.apiToken }))
      expect(grant).toMatchObject({ externalAccountId: new URL(url).host, metadata: { authType: "basic", siteUrl: url, accountId: fake.control.agent.accountId } })
      expect(Redacted.value(grant.tokens.accessToken)).toBe(fake.control.apiToken)
      expect(Redacted.value(grant.tokens.extra["email"] ?? Redacted.make(""))).toBe(fake.control.agent.emailAddress)
      const wrong = yield* Effect.exit(paste.validate(fields({ siteUrl: url, email: fake.control.agent.emailAddress, apiToken: "nope" })))
      expect(failure(wrong)).toMatchObject({ reason: "InvalidCredentials" })
      const calls = fake.control.calls().length
      const elsewhere = yield* Effect.exit(paste.validate(fields({ siteUrl: "https://evil.example.com", email: "a@b.c", apiToken: "t" })))
      expect(failure(elsewhere)).toMatchObject({ reason: "InvalidCredentials", message: expect.stringContaining("127.0.0.1") })
      expect(fake.control.calls().length).toBe(calls)
    }).pipe(Effect.provide(FetchHttpClient.layer))))
  })

  it("holds pasted site URLs to the allowlist, https only (http only on loopback)", () => {
    const hosts = ["*.atlassian.net"]
    expect(allowedOrigin("acme.atlassian.net", hosts)).toEqual(Option.some("https://acme.atlassian.net"))
    expect(allowedOrigin("https://Acme.Atlassian.net/jira/software/projects/ENG", hosts)).toEqual(Option.some("https://acme.atlassian.net"))
    for (const bad of ["http://acme.atlassian.net", "https://atlassian.net", "https://a.b.atlassian.net", "https://acme.atlassian.net.evil.com", "https://user:pw@acme.atlassian.net", "not a url"]) {
      expect(allowedOrigin(bad, hosts), bad).toEqual(Option.none())
    }
    expect(allowedOrigin("http://127.0.0.1:9999", ["127.0.0.1:9999"])).toEqual(Option.some("http://127.0.0.1:9999"))
    expect(allowedOrigin("http://127.0.0.1:9999", ["127.0.0.1"])).toEqual(Option.none())
    expect(allowedOrigin("https://acme.atlassian.net:8443", hosts)).toEqual(Option.none())
    expect(allowedOrigin("http://10.0.0.1", ["10.0.0.1"])).toEqual(Option.none())
  })
})
