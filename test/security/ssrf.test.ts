/**
 * Where a pasted URL may lead the server (issue 13, finding 2), through the whole kernel's
 * `/install/jira` with a real fetch and loopback listeners standing in for other hosts: a
 * redirect from the allowed site is not followed, the allowlist matches the port, a foreign
 * answer's body never reaches the caller, and a closed port reads like an open one. Then the
 * same rules for the tool calls an installation by paste makes later (`JiraClient`), and for the
 * HTTP client every runtime is given (`runtimes/shared/dependencies.ts`).
 */
import { Effect, Option, Redacted, Schema } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest, HttpClientResponse } from "effect/http"
import { afterEach, describe, expect, it } from "vitest"
import { confine } from "../../kernel/provider/PastedUrl.ts"
import * as JiraClient from "../../providers/jira/client/JiraClient.ts"
import { NOT_CONFIRMED } from "../../providers/jira/install/CredentialPaste.ts"
import * as JiraProvider from "../../providers/jira/JiraProvider.ts"
import { httpClient } from "../../runtimes/shared/dependencies.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { type Served, serve } from "../support/serve.ts"

const SECRET = "sk_live_0123456789abcdef-do-not-leak"

/** A loopback listener that records every request it receives. */
const listen = async (answer: (request: Request) => Response | Promise<Response>) => {
  const received: Array<string> = []
  const served = await serve(async (request) => {
    received.push(`${request.method} ${new URL(request.url).pathname}`)
    return answer(request)
  })
  opened.push(served)
  return { ...served, host: new URL(served.url).host, received }
}

/** A loopback port nothing listens on (a listener opened, then closed). */
const closedPort = async (): Promise<string> => {
  const served = await serve(async () => new Response(null))
  await served.close()
  return new URL(served.url).host
}

const myself = () => Response.json({ accountId: "attacker-account", displayName: "Whoever answered" })

const opened: Array<Served> = []
const kernels: Array<TestKernel> = []
afterEach(async () => {
  await Promise.all([...kernels.splice(0).map((kernel) => kernel.close()), ...opened.splice(0).map((served) => served.close())])
})

const kernelAllowing = async (siteHosts: string) => {
  const kernel = await startTestKernel({ providers: [JiraProvider.make], env: { JIRA_SITE_HOSTS: siteHosts } })
  kernels.push(kernel)
  const { apiKey } = await kernel.createTenant("acme")
  return { kernel, apiKey }
}

const Answer = Schema.Struct({ error: Schema.Struct({ reason: Schema.String, message: Schema.String }) })
const Installations = Schema.Struct({ installations: Schema.Array(Schema.Unknown) })

/** Pastes `siteUrl` with some credentials; the status and the raw body of the answer. */
const paste = async (world: { readonly kernel: TestKernel; readonly apiKey: string }, siteUrl: string) => {
  const response = await world.kernel.request("/install/jira", {
    method: "POST",
    apiKey: world.apiKey,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fields: { siteUrl, email: "agent@example.com", apiToken: "pasted-token" } })
  })
  const text = await response.text()
  const installed = Schema.decodeUnknownSync(Installations)(await (await world.kernel.request("/v1/installations", { apiKey: world.apiKey })).json())
  return { status: response.status, text, error: Schema.decodeUnknownOption(Schema.fromJsonString(Answer))(text), installations: installed.installations.length }
}

describe("a pasted Jira site URL", () => {
  it("whose allowed host redirects elsewhere: the other listener receives nothing and the install is refused", async () => {
    const elsewhere = await listen(myself)
    const allowed = await listen((request) => Response.redirect(`${elsewhere.url}${new URL(request.url).pathname}`, 302))
    const world = await kernelAllowing(allowed.host)
    const answer = await paste(world, allowed.url)
    expect(allowed.received).toEqual(["GET /rest/api/3/myself"])
    expect(elsewhere.received).toEqual([])
    expect(answer.status).toBe(400)
    expect(Option.getOrThrow(answer.error).error).toEqual({ reason: "InvalidCredentials", message: NOT_CONFIRMED })
    expect(answer.installations).toBe(0)
  })

  it("on an allowed host but another port is refused before any request", async () => {
    const listener = await listen(myself)
    // The bare host (the old development allowance) admits the default port only, not any port.
    for (const siteHosts of ["127.0.0.1", `127.0.0.1:${Number(new URL(listener.url).port) + 1}`]) {
      const world = await kernelAllowing(siteHosts)
      const answer = await paste(world, listener.url)
      expect(answer.status, siteHosts).toBe(400)
      expect(Option.getOrThrow(answer.error).error.message, siteHosts).toContain("The site URL must be")
      expect(answer.installations).toBe(0)
    }
    expect(listener.received).toEqual([])
  })

  it("never echoes what a non-Jira answer says", async () => {
    for (const status of [400, 401, 403, 404, 500]) {
      const site = await listen(() =>
        Response.json({ errorMessages: [SECRET], errors: { token: SECRET }, message: SECRET }, { status, headers: { "x-secret": SECRET } }))
      const world = await kernelAllowing(site.host)
      const answer = await paste(world, site.url)
      expect(site.received, String(status)).toEqual(["GET /rest/api/3/myself"])
      expect(answer.text, String(status)).not.toContain(SECRET)
      expect(Option.getOrThrow(answer.error).error, String(status)).toEqual({ reason: "InvalidCredentials", message: NOT_CONFIRMED })
    }
  })

  it("reads the same whether its port is closed or open to something that is not Jira", async () => {
    const closed = await closedPort()
    const open = await listen(() => new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } }))
    const world = await kernelAllowing(`${closed},${open.host}`)
    const fromClosed = await paste(world, `http://${closed}`)
    const fromOpen = await paste(world, open.url)
    expect(open.received).toEqual(["GET /rest/api/3/myself"])
    expect({ status: fromOpen.status, text: fromOpen.text }).toEqual({ status: fromClosed.status, text: fromClosed.text })
    expect(Option.getOrThrow(fromOpen.error).error).toEqual({ reason: "InvalidCredentials", message: NOT_CONFIRMED })
  })
})

describe("calls to a pasted site after the install", () => {
  const basic = (baseUrl: string): JiraClient.JiraAccess => ({
    baseUrl,
    auth: { _tag: "Basic", email: Redacted.make("agent@example.com"), token: Redacted.make("pasted-token") }
  })
  const read = { method: "GET", path: "/rest/api/3/myself", what: "read the connected account" } as const
  const Myself = Schema.Struct({ accountId: Schema.String })

  it("follow no redirect, and go nowhere the allowlist no longer names", async () => {
    const elsewhere = await listen(myself)
    const site = await listen((request) => Response.redirect(`${elsewhere.url}${new URL(request.url).pathname}`, 307))
    const client = JiraClient.make("https://api.atlassian.com", [site.host])
    const redirected = await Effect.runPromise(Effect.flip(client.request(basic(site.url), read, Myself)).pipe(Effect.provide(FetchHttpClient.layer)))
    expect(redirected).toMatchObject({ reason: "VendorError", message: expect.stringContaining("redirect (HTTP 307)") })
    expect(site.received).toEqual(["GET /rest/api/3/myself"])
    expect(elsewhere.received).toEqual([])

    const narrowed = JiraClient.make("https://api.atlassian.com", ["*.atlassian.net"])
    const refused = await Effect.runPromise(Effect.flip(narrowed.request(basic(elsewhere.url), read, Myself)).pipe(Effect.provide(FetchHttpClient.layer)))
    expect(refused).toMatchObject({ reason: "Unauthorized", message: expect.stringContaining("JIRA_SITE_HOSTS") })
    expect(elsewhere.received).toEqual([])
  })

  it("refuse a redirect even from a client that hands one back without being asked", async () => {
    const redirecting = HttpClient.make((request) =>
      Effect.succeed(HttpClientResponse.fromWeb(request, new Response(null, { status: 302, headers: { location: "http://127.0.0.1:1/" } }))))
    const refused = await Effect.runPromise(Effect.flip(confine(["acme.atlassian.net"])(redirecting).get("https://acme.atlassian.net/rest/api/3/myself")))
    expect(refused).toMatchObject({ _tag: "PastedUrlRefused", reason: "Redirect", status: 302 })
  })
})

describe("the HTTP client every runtime is given", () => {
  it("sends a confined call once, to the allowed host, even where the runtime asks fetch to follow", async () => {
    const elsewhere = await listen(myself)
    const site = await listen(() => Response.redirect(`${elsewhere.url}/`, 302))
    const call = Effect.gen(function*() {
      const client = confine([site.host])(yield* HttpClient.HttpClient)
      return yield* Effect.flip(client.execute(HttpClientRequest.get(`${site.url}/rest/api/3/myself`)))
    }).pipe(Effect.provideService(FetchHttpClient.RequestInit, { redirect: "follow" }), Effect.provide(httpClient))
    expect(await Effect.runPromise(call)).toMatchObject({ _tag: "PastedUrlRefused", reason: "Redirect", status: 302 })
    expect(site.received).toEqual(["GET /rest/api/3/myself"])
    expect(elsewhere.received).toEqual([])
  })
})
