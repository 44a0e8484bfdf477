/**
 * Installing Linear against the fake Linear on loopback, through the real fetch HttpClient:
 * the consent URL, the code exchange with PKCE, the identity lookup, refresh rotation, revoke,
 * and the typed errors when something is wrong or missing.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import type { InstallError } from "../../../kernel/domain/Errors.ts"
import type { OAuthInstall } from "../../../kernel/provider/Install.ts"
import * as LinearClient from "../../../providers/linear/LinearClient.ts"
import * as LinearOAuth from "../../../providers/linear/install/LinearOAuth.ts"
import { tokenSet } from "../../../kernel/domain/Credentials.ts"
import { serve } from "../../support/serve.ts"
import { servedFakeLinear, settings } from "./fixtures.ts"

const REDIRECT_URI = "http://127.0.0.1:8787/install/linear/callback"

const base64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")

const pkcePair = Effect.promise(async () => {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)))
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))
  return { verifier, challenge: base64Url(new Uint8Array(digest)) }
})

const installError = <A, R>(effect: Effect.Effect<A, InstallError, R>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) throw new Error("expected an InstallError")
    const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail")
    if (failure === undefined || failure._tag !== "Fail") throw new Error(`expected a typed failure, got ${exit.cause}`)
    return failure.error
  })

/** What a browser (or a script) does between the consent URL and the callback. */
const approveAt = (authorizationUrl: string) =>
  Effect.promise(async () => {
    const approveUrl = authorizationUrl.replace("/oauth/authorize?", "/oauth/authorize/approve?")
    const response = await fetch(approveUrl, { redirect: "manual" })
    const location = new URL(response.headers.get("location") ?? "")
    return { status: response.status, callback: location }
  })

const install = (oauth: OAuthInstall, state = "state-123") =>
  Effect.gen(function*() {
    const { challenge, verifier } = yield* pkcePair
    const url = yield* oauth.authorizationUrl({ app: Option.none(), state, redirectUri: REDIRECT_URI, codeChallenge: Option.some(challenge) })
    const { callback } = yield* approveAt(url)
    const code = callback.searchParams.get("code") ?? ""
    return yield* oauth.exchange({ app: Option.none(),
      code,
      redirectUri: REDIRECT_URI,
      codeVerifier: Option.some(verifier),
      query: callback.searchParams
    })
  })

describe("LinearOAuth", () => {
  it.live("builds Linear's consent URL: actor=app, agent scopes, PKCE S256, state", () =>
    Effect.gen(function*() {
      const oauth = LinearOAuth.make(settings())
      const url = new URL(yield* oauth.authorizationUrl({ app: Option.none(),
        state: "st",
        redirectUri: REDIRECT_URI,
        codeChallenge: Option.some("challenge-abc")
      }))
      expect(url.origin + url.pathname).toBe("https://linear.app/oauth/authorize")
      expect(Object.fromEntries(url.searchParams)).toEqual({
        client_id: "fake-linear-client-id",
        redirect_uri: REDIRECT_URI,
        response_type: "code",
        scope: "read,write,app:assignable,app:mentionable",
        state: "st",
        actor: "app",
        code_challenge: "challenge-abc",
        code_challenge_method: "S256"
      })
    }))

  it.live("the consent page renders an Authorize form; approval redirects back with code and state", () =>
    Effect.gen(function*() {
      const { settings: served } = yield* servedFakeLinear()
      const oauth = LinearOAuth.make(served)
      const url = yield* oauth.authorizationUrl({ app: Option.none(), state: "s t&1", redirectUri: REDIRECT_URI, codeChallenge: Option.none() })
      const page = yield* Effect.promise(() => fetch(url).then((response) => response.text()))
      expect(page).toContain("<form method=\"post\" action=\"/oauth/authorize/approve\">")
      expect(page).toContain(">Authorize</button>")
      const { callback, status } = yield* approveAt(url)
      expect(status).toBe(302)
      expect(callback.origin + callback.pathname).toBe(REDIRECT_URI)
      expect(callback.searchParams.get("state")).toBe("s t&1")
      expect(callback.searchParams.get("code")).toMatch(/^code_/)
    }))

  it.live("exchanges the code with the PKCE verifier and identifies the workspace and app user", () =>
    Effect.gen(function*() {
      const { fake, settings: served } = yield* servedFakeLinear()
      const before = Date.now()
      const grant = yield* install(LinearOAuth.make(served))
      expect(grant.externalAccountId).toBe(fake.control.organization.id)
      expect(grant.displayName).toBe(fake.control.organization.name)
      expect(grant.metadata).toEqual({
        appUserId: fake.control.appUser.id,
        appUserName: fake.control.appUser.name,
        appUserDisplayName: "switchboard",
        urlKey: fake.control.organization.urlKey
      })
      expect(grant.tokens.scopes).toEqual(["read", "write", "app:assignable", "app:mentionable"])
      expect(Option.isSome(grant.tokens.refreshToken)).toBe(true)
      const expiresAt = Option.getOrThrow(grant.tokens.expiresAt)
      expect(expiresAt).toBeGreaterThanOrEqual(before + 86_399_000)
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 86_399_000)
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("a wrong PKCE verifier is VendorRejected; the right one then works, once", () =>
    Effect.gen(function*() {
      const { settings: served } = yield* servedFakeLinear()
      const oauth = LinearOAuth.make(served)
      const { challenge, verifier } = yield* pkcePair
      const url = yield* oauth.authorizationUrl({ app: Option.none(), state: "s", redirectUri: REDIRECT_URI, codeChallenge: Option.some(challenge) })
      const { callback } = yield* approveAt(url)
      const code = callback.searchParams.get("code") ?? ""
      const exchange = (verifier: string) =>
        oauth.exchange({ app: Option.none(), code, redirectUri: REDIRECT_URI, codeVerifier: Option.some(verifier), query: callback.searchParams })
      const wrong = yield* installError(exchange("not-the-verifier-not-the-verifier-000000000"))
      expect(wrong.reason).toBe("VendorRejected")
      expect(wrong.message).toContain("invalid_grant")
      yield* exchange(verifier)
      const replayed = yield* installError(exchange(verifier))
      expect(replayed.reason).toBe("VendorRejected")
      expect(replayed.message).toContain("already used")
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("refresh rotates the tokens; the old refresh token no longer works", () =>
    Effect.gen(function*() {
      const { settings: served } = yield* servedFakeLinear()
      const oauth = LinearOAuth.make(served)
      const grant = yield* install(oauth)
      const refresh = Option.getOrThrow(oauth.refresh)
      const next = yield* refresh(grant.tokens)
      expect(Redacted.value(next.accessToken)).not.toBe(Redacted.value(grant.tokens.accessToken))
      expect(Option.map(next.refreshToken, Redacted.value)).not.toEqual(Option.map(grant.tokens.refreshToken, Redacted.value))
      expect(next.scopes).toEqual(grant.tokens.scopes)
      // Linear answers invalid_grant for a spent refresh token as for a revoked grant.
      const reused = yield* installError(refresh(grant.tokens))
      expect(reused.reason).toBe("GrantRevoked")
      yield* refresh(next)
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("a refresh after the workspace removed the app is GrantRevoked, which revokes the installation", () =>
    Effect.gen(function*() {
      const { fake, settings: served } = yield* servedFakeLinear()
      const oauth = LinearOAuth.make(served)
      const grant = yield* install(oauth)
      fake.control.revokeToken(Redacted.value(grant.tokens.accessToken))
      const error = yield* installError(Option.getOrThrow(oauth.refresh)(grant.tokens))
      expect(error.reason).toBe("GrantRevoked")
      expect(error.message).toContain("invalid_grant")
      expect(error.message).toContain("reinstall")
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("a refresh Linear cannot serve right now is VendorUnavailable, not a revocation", () =>
    Effect.gen(function*() {
      const broken = yield* Effect.acquireRelease(
        Effect.promise(() =>
          serve(async () => new Response(JSON.stringify({ error: "server_error" }), { status: 503 }))
        ),
        (server) => Effect.promise(() => server.close())
      )
      const oauth = LinearOAuth.make(settings({ apiUrl: broken.url }))
      const tokens = tokenSet({ accessToken: "a", refreshToken: "r", expiresInSeconds: 10, now: 0, scopes: ["read"] })
      const error = yield* installError(Option.getOrThrow(oauth.refresh)(tokens))
      expect(error.reason).toBe("VendorUnavailable")
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("a token set without a refresh token cannot be refreshed: VendorRejected, and Linear is not asked", () =>
    Effect.gen(function*() {
      const { fake, settings: served } = yield* servedFakeLinear()
      const oauth = LinearOAuth.make(served)
      const tokens = tokenSet({ accessToken: "a", expiresInSeconds: 10, now: 0, scopes: ["read"] })
      const error = yield* installError(Option.getOrThrow(oauth.refresh)(tokens))
      expect(error.reason).toBe("VendorRejected")
      expect(error.message).toContain("no refresh token")
      expect(fake.control.refreshes()).toEqual([])
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("revoke ends the grant: the access token stops working", () =>
    Effect.gen(function*() {
      const { settings: served } = yield* servedFakeLinear()
      const oauth = LinearOAuth.make(served)
      const grant = yield* install(oauth)
      const client = LinearClient.make(served.apiUrl)
      yield* client.execute(LinearOAuth.Identity, {}, grant.tokens.accessToken)
      yield* Option.getOrThrow(oauth.revoke)(grant.tokens)
      const error = yield* Effect.flip(client.execute(LinearOAuth.Identity, {}, grant.tokens.accessToken))
      expect(error.reason).toBe("Unauthorized")
      // Revoking again is not an error: there is nothing left to revoke.
      yield* Option.getOrThrow(oauth.revoke)(grant.tokens)
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("wrong client credentials are VendorRejected with a hint at the env vars", () =>
    Effect.gen(function*() {
      const { settings: served } = yield* servedFakeLinear()
      const wrongSecret = { ...served, oauth: Option.map(served.oauth, (oauth) => ({ ...oauth, clientSecret: Redacted.make("nope") })) }
      const error = yield* installError(install(LinearOAuth.make(wrongSecret)))
      expect(error.reason).toBe("VendorRejected")
      expect(error.message).toContain("LINEAR_CLIENT_SECRET")
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("an unreachable Linear is VendorUnavailable", () =>
    Effect.gen(function*() {
      const oauth = LinearOAuth.make(settings({ apiUrl: "http://127.0.0.1:1" }))
      const error = yield* installError(oauth.exchange({ app: Option.none(),
        code: "c",
        redirectUri: REDIRECT_URI,
        codeVerifier: Option.none(),
        query: new URLSearchParams()
      }))
      expect(error.reason).toBe("VendorUnavailable")
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("without client credentials every step fails with NotConfigured", () =>
    Effect.gen(function*() {
      const oauth = LinearOAuth.make(settings({ oauth: Option.none() }))
      const start = yield* installError(oauth.authorizationUrl({ app: Option.none(), state: "s", redirectUri: REDIRECT_URI, codeChallenge: Option.none() }))
      expect(start.reason).toBe("NotConfigured")
      expect(start.message).toContain("LINEAR_CLIENT_ID")
      const exchange = yield* installError(oauth.exchange({ app: Option.none(),
        code: "c",
        redirectUri: REDIRECT_URI,
        codeVerifier: Option.none(),
        query: new URLSearchParams()
      }))
      expect(exchange.reason).toBe("NotConfigured")
    }).pipe(Effect.provide(FetchHttpClient.layer)))
})
