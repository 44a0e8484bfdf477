/**
 * The fake Linear itself: it must be as strict as Linear where the provider could go wrong
 * (client id, redirect URI, scopes, PKCE, single-use codes) and its HTTP controls must work for
 * out-of-process tests. Served on loopback to exercise `serve.ts` too.
 */
import { Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeFakeLinear } from "../../../sandbox/fakes/linear/FakeLinear.ts"
import { rootFields } from "../../../sandbox/fakes/linear/FakeLinearGraphQL.ts"
import { serve, type Served } from "../../support/serve.ts"

const REDIRECT = "http://127.0.0.1:8787/install/linear/callback"
const fake = makeFakeLinear({ redirectUris: [REDIRECT] })
let served: Served

beforeAll(async () => {
  served = await serve(fake.handler)
})
afterAll(async () => {
  await served.close()
})

const authorizeUrl = (params: Record<string, string>, path = "/oauth/authorize") => {
  const url = new URL(path, served.url)
  const defaults = {
    client_id: fake.control.clientId,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "read,write,app:assignable,app:mentionable",
    actor: "app",
    state: "st-1"
  }
  for (const [key, value] of Object.entries({ ...defaults, ...params })) url.searchParams.set(key, value)
  return url
}

const get = (url: URL | string) => fetch(url, { redirect: "manual" })

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(new URL(path, served.url), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body)
  })

const body = async (response: Response): Promise<unknown> => response.json()
const decoded = <A>(schema: Schema.Codec<A, unknown>) => async (response: Response): Promise<A> =>
  Schema.decodeUnknownSync(schema)(await body(response))
const seededIssue = decoded(Schema.Struct({ id: Schema.String, identifier: Schema.String }))
const mintedTokens = decoded(Schema.Struct({ accessToken: Schema.String }))

const callback = (response: Response) => new URL(response.headers.get("location") ?? "about:blank")

describe("fake Linear OAuth", () => {
  it("refuses an unknown client or an unregistered redirect_uri with a page, never a redirect", async () => {
    for (const params of [{ client_id: "someone-else" }, { redirect_uri: "https://evil.example/cb" }]) {
      const response = await get(authorizeUrl(params))
      expect(response.status).toBe(400)
      expect(response.headers.get("location")).toBeNull()
    }
  })

  it("redirects scope and actor errors back with the state", async () => {
    const badScope = callback(await get(authorizeUrl({ scope: "read,everything" })))
    expect(badScope.searchParams.get("error")).toBe("invalid_scope")
    expect(badScope.searchParams.get("state")).toBe("st-1")
    const appScopesAsUser = callback(await get(authorizeUrl({ actor: "user" })))
    expect(appScopesAsUser.searchParams.get("error")).toBe("invalid_scope")
  })

  it("a denied consent comes back as access_denied", async () => {
    const denied = callback(await get(authorizeUrl({ decision: "deny" }, "/oauth/authorize/approve")))
    expect(denied.searchParams.get("error")).toBe("access_denied")
    expect(denied.searchParams.get("state")).toBe("st-1")
  })

  it("the consent form's POST approves", async () => {
    const form = new URLSearchParams(Object.fromEntries(authorizeUrl({}).searchParams))
    form.set("decision", "approve")
    const response = await fetch(new URL("/oauth/authorize/approve", served.url), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form
    })
    expect(response.status).toBe(302)
    expect(callback(response).searchParams.get("code")).toMatch(/^code_/)
  })

  it("auto-approval skips the consent page", async () => {
    fake.control.setAutoApprove(true)
    const response = await get(authorizeUrl({}))
    fake.control.setAutoApprove(false)
    expect(response.status).toBe(302)
    expect(callback(response).searchParams.get("state")).toBe("st-1")
  })

  it("the token endpoint wants a form, client credentials (body or Basic) and a known grant type", async () => {
    const code = callback(await get(authorizeUrl({}, "/oauth/authorize/approve"))).searchParams.get("code") ?? ""
    const token = (body: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(new URL("/oauth/token", served.url), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams(body)
      })
    const asJson = await postJson("/oauth/token", { grant_type: "authorization_code" })
    expect(asJson.status).toBe(400)
    expect((await token({ grant_type: "authorization_code", code, client_id: "x", client_secret: "y" })).status).toBe(401)
    expect((await token({ grant_type: "password", client_id: fake.control.clientId, client_secret: fake.control.clientSecret })).status)
      .toBe(400)
    const basic = `Basic ${btoa(`${fake.control.clientId}:${fake.control.clientSecret}`)}`
    const wrongRedirect = await token({ grant_type: "authorization_code", code, redirect_uri: "http://127.0.0.1/other" }, {
      authorization: basic
    })
    expect(await body(wrongRedirect)).toMatchObject({ error: "invalid_grant" })
    const ok = await token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, { authorization: basic })
    expect(await body(ok)).toMatchObject({ token_type: "Bearer", expires_in: 86_399, scope: "read write app:assignable app:mentionable" })
  })
})

describe("fake Linear controls over HTTP", () => {
  it("seeds an issue, mints a token, posts a comment through GraphQL and reads it back", async () => {
    const issue = await seededIssue(await postJson("/_fake/issues", { title: "Seeded over HTTP" }))
    const tokens = await mintedTokens(await postJson("/_fake/tokens", {}))
    const graphql = await postJson("/graphql", {
      query: "mutation C($input: CommentCreateInput!) { commentCreate(input: $input) { success comment { id } } }",
      variables: { input: { issueId: issue.identifier, body: "from a test" } }
    }, { authorization: `Bearer ${tokens.accessToken}` })
    expect(graphql.status).toBe(200)
    const comments = await body(await get(new URL(`/_fake/comments?issueId=${issue.id}`, served.url)))
    expect(comments).toEqual([expect.objectContaining({ body: "from a test", issueId: issue.id })])
  })

  it("rate limiting answers RATELIMITED with HTTP 400 (as Linear documents) and the exhausted budget's headers", async () => {
    const tokens = await mintedTokens(await postJson("/_fake/tokens", {}))
    const viewer = () => postJson("/graphql", { query: "{ viewer { id } }" }, { authorization: `Bearer ${tokens.accessToken}` })
    await postJson("/_fake/rate-limit", { on: true, retryAfterSeconds: 5 })
    const limited = await viewer()
    expect(limited.status).toBe(400)
    expect(limited.headers.get("retry-after")).toBe("5")
    expect(limited.headers.get("x-ratelimit-requests-remaining")).toBe("0")
    expect(Number(limited.headers.get("x-ratelimit-requests-reset"))).toBeGreaterThan(Date.now())
    expect(await body(limited)).toMatchObject({ errors: [{ extensions: { code: "RATELIMITED" } }] })
    await postJson("/_fake/rate-limit", { on: true, status: 429, budget: "complexity" })
    const complexity = await viewer()
    expect(complexity.status).toBe(429)
    expect(complexity.headers.get("retry-after")).toBeNull()
    expect(complexity.headers.get("x-ratelimit-complexity-remaining")).toBe("0")
    await postJson("/_fake/rate-limit", { on: false })
    const ok = await viewer()
    expect(ok.status).toBe(200)
    expect(Number(ok.headers.get("x-ratelimit-requests-remaining"))).toBeGreaterThan(0)
  })

  it("revoked and expired tokens get 401 AUTHENTICATION_ERROR; unknown fields a validation error", async () => {
    const revoked = await mintedTokens(await postJson("/_fake/tokens", {}))
    await postJson("/_fake/tokens/revoke", { token: revoked.accessToken })
    const expired = await mintedTokens(await postJson("/_fake/tokens", {}))
    await postJson("/_fake/tokens/expire", { token: expired.accessToken })
    for (const token of [revoked.accessToken, expired.accessToken]) {
      const response = await postJson("/graphql", { query: "{ viewer { id } }" }, { authorization: `Bearer ${token}` })
      expect(response.status).toBe(401)
      expect(await body(response)).toMatchObject({ errors: [{ extensions: { code: "AUTHENTICATION_ERROR" } }] })
    }
    const live = await mintedTokens(await postJson("/_fake/tokens", {}))
    const unknown = await postJson("/graphql", { query: "{ cycles { nodes { id } } }" }, { authorization: `Bearer ${live.accessToken}` })
    expect(unknown.status).toBe(400)
    expect(await body(unknown)).toMatchObject({ errors: [{ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }] })
  })
})

describe("fake Linear GraphQL root fields", () => {
  it("reads top-level selections, aliases, and ignores nested fields and arguments", () => {
    expect(rootFields("query X($id: String!) { issue(id: $id) { id team { key } } viewer { id } }")).toEqual([
      ["issue", "issue"],
      ["viewer", "viewer"]
    ])
    expect(rootFields("{ me: viewer { id } # organization\n organization { id } }")).toEqual([
      ["me", "viewer"],
      ["organization", "organization"]
    ])
  })
})
