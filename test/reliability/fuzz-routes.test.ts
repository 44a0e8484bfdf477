/**
 * Acceptance 5, every route: arbitrary methods, paths (each route's template with real and
 * garbage parameters), query strings, headers (tenant keys, the admin token, session tokens,
 * garbage bearers, vendor signature headers), bodies (JSON-ish, vendor-shaped, raw bytes) and
 * signatures (none, garbage, valid for the provider in the path). Nothing may answer 5xx, no
 * body may carry a stack trace, and nothing without a valid signature may be stored or dispatched.
 */
import { Effect } from "effect"
import fc from "fast-check"
import { createHmac, generateKeyPairSync } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { signLinearWebhook } from "../../sandbox/fakes/linear/sign.ts"
import { linearDelivery, sendSigned, startTwoTenants, type TwoTenants, writeSummary } from "./fuzzTenants.ts"

const RUNS = 2500

const SECRETS = { slack: "slack_signing_fuzz", github: "github_webhook_fuzz", jira: "jira_webhook_fuzz" }

/** Every vendor URL points at a closed loopback port: nothing fuzzed can leave the machine. */
const CLOSED = "http://127.0.0.1:9"
const ENV = {
  SLACK_CLIENT_ID: "slack_client",
  SLACK_CLIENT_SECRET: "slack_secret",
  SLACK_SIGNING_SECRET: SECRETS.slack,
  SLACK_API_URL: `${CLOSED}/api`,
  SLACK_OAUTH_URL: CLOSED,
  GITHUB_WEBHOOK_SECRET: SECRETS.github,
  GITHUB_APP_ID: "4242",
  GITHUB_APP_SLUG: "switchboard-fuzz",
  GITHUB_APP_PRIVATE_KEY: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  GITHUB_CLIENT_ID: "github_client",
  GITHUB_CLIENT_SECRET: "github_secret",
  GITHUB_API_URL: CLOSED,
  GITHUB_WEB_URL: CLOSED,
  JIRA_WEBHOOK_SECRET: SECRETS.jira,
  JIRA_CLIENT_ID: "jira_client",
  JIRA_CLIENT_SECRET: "jira_secret",
  JIRA_AUTH_URL: CLOSED,
  JIRA_API_URL: CLOSED
}

/** Every route with its method; requests mostly use it, sometimes another. */
const ROUTES: ReadonlyArray<readonly [string, string]> = [
  ["GET", "/"],
  ["GET", "/health"],
  ["GET", "/console/:p/:p"],
  ["GET", "/v1/integrations"],
  ["GET", "/install/:provider"],
  ["GET", "/install/:provider/callback"],
  ["POST", "/install/:provider"],
  ["GET", "/install/:provider/app"],
  ["GET", "/install/:provider/app/callback"],
  ["POST", "/webhook/:provider"],
  ["POST", "/webhook/:provider"],
  ["POST", "/webhook/:provider"],
  ["POST", "/webhook/:provider/:p"],
  ["POST", "/mcp"],
  ["POST", "/mcp"],
  ["GET", "/mcp"],
  ["DELETE", "/mcp"],
  ["POST", "/v1/tenants"],
  ["GET", "/v1/installations"],
  ["DELETE", "/v1/installations/:p"],
  ["GET", "/v1/publications"],
  ["POST", "/v1/publications"],
  ["PATCH", "/v1/publications/:p"],
  ["DELETE", "/v1/publications/:p"],
  ["GET", "/v1/deliveries"],
  ["GET", "/v1/deliveries/:p"],
  ["POST", "/v1/deliveries/:p/replay"],
  ["GET", "/v1/sessions"],
  ["POST", "/v1/registrations"],
  ["GET", "/v1/registrations"],
  ["PUT", "/v1/registrations/:p/credentials"],
  ["POST", "/v1/install-tickets"],
  ["GET", "/:p"],
  ["POST", "/v1/:p/:p"]
]

const PROVIDERS = ["linear", "linear", "linear", "github", "github", "slack", "slack", "jira", "jira", "nope", "LINEAR", "linear%00", ""]

/** Marks what was sent unsigned, so the end check can look for it among stored and dispatched deliveries. */
const UNSIGNED = "unsigned-"

type SignatureMode = "none" | "garbage" | "valid"

interface FuzzRequest {
  readonly route: readonly [string, string]
  readonly otherMethod: string | null
  readonly provider: string
  readonly params: ReadonlyArray<string>
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly bearer: number
  readonly garbageBearer: string
  readonly contentType: string | null
  readonly extraHeaders: ReadonlyArray<readonly [string, string]>
  readonly body: { readonly kind: "none" } | { readonly kind: "text"; readonly text: string } | { readonly kind: "bytes"; readonly bytes: Uint8Array }
  readonly signature: SignatureMode
  readonly organization: number
}

const hmacHex = (secret: string, text: string | Uint8Array) => createHmac("sha256", secret).update(text).digest("hex")

const STACK_TRACE = [/\n\s+at\s/, /\bat .*\.(ts|js|mjs):\d+/, /node_modules/, /\/work\//, /\.ts:\d+:\d+/]

describe("fuzzing every route", () => {
  let world: TwoTenants
  let realIds: Array<string> = []
  let counts = { requests: 0, validSigned: 0, unsigned: 0, byStatus: new Map<number, number>() }

  beforeAll(async () => {
    world = await startTwoTenants(ENV)
    // Something to find: a delivery per tenant, so event ids exist too.
    for (const tenant of [world.a, world.b]) expect((await sendSigned(world.kernel, await linearDelivery(world.kernel, tenant.organizationId))).status).toBe(200)
    const events = await Promise.all([world.a, world.b].map(async (tenant) =>
      (await (await world.kernel.request("/v1/deliveries", { apiKey: tenant.apiKey })).json()).deliveries.map(
        (delivery: { event: { id: string } }) => delivery.event.id
      )
    ))
    realIds = [
      ...events.flat(),
      world.a.installationId,
      world.b.installationId,
      world.a.publicationId,
      world.b.publicationId,
      world.a.tenantId
    ]
  })
  afterAll(async () => {
    await world.kernel.close()
  })

  it("answers every request without a 5xx or a stack trace, and stores nothing unsigned", async () => {
    const { kernel, a, b } = world
    const bearers = [null, a.apiKey, b.apiKey, kernel.secrets.admin, a.sessionToken, b.sessionToken, "garbage"]
    const segment = fc.oneof(
      fc.constantFrom(...realIds, "linear", "github", "app", "callback", "..", "%2e%2e", "%00", "%2F", "x".repeat(300)),
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
      fc.stringMatching(/^[a-z_]{1,12}$/)
    )
    const header = fc.tuple(
      fc.constantFrom(
        "linear-signature",
        "linear-delivery",
        "linear-event",
        "x-hub-signature-256",
        "x-hub-signature",
        "x-github-event",
        "x-github-delivery",
        "x-slack-signature",
        "x-slack-request-timestamp",
        "x-atlassian-webhook-identifier",
        "mcp-protocol-version",
        "mcp-session-id",
        "accept",
        "origin",
        "content-length",
        "switchboard-correlation-id",
        "x-forwarded-for"
      ),
      fc.string({ maxLength: 80 }).map((value) => value.replace(/[^\x20-\x7e]/g, ""))
    )
    const jsonText = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      // Vendor-shaped: a Linear delivery with some fields replaced by anything.
      fc.tuple(
        fc.dictionary(
          fc.constantFrom("type", "action", "organizationId", "agentSession", "guidance", "webhookTimestamp", "data", "event", "challenge", "token"),
          fc.jsonValue({ maxDepth: 2 })
        ),
        fc.constantFrom(a.organizationId, b.organizationId, "org-nobody")
      ).map(([overrides, organizationId]) => JSON.stringify({ ...agentSessionCreated({ organizationId, sessionId: crypto.randomUUID() }), webhookTimestamp: Date.now(), ...overrides })),
      fc.jsonValue({ maxDepth: 2 }).map((value) => `${JSON.stringify(value)}`.slice(0, -1)),
      fc.string({ maxLength: 200 })
    )
    const request: fc.Arbitrary<FuzzRequest> = fc.record({
      route: fc.constantFrom(...ROUTES),
      otherMethod: fc.oneof(
        { arbitrary: fc.constant(null), weight: 4 },
        { arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"), weight: 1 }
      ),
      provider: fc.constantFrom(...PROVIDERS),
      params: fc.array(segment, { minLength: 2, maxLength: 2 }),
      query: fc.array(fc.tuple(fc.constantFrom("code", "state", "limit", "installation_id", "setup_action", "ticket", "returnUrl", "error"), fc.string({ maxLength: 30 })), { maxLength: 3 }),
      bearer: fc.nat({ max: bearers.length - 1 }),
      garbageBearer: fc.string({ maxLength: 60 }).map((value) => value.replace(/[^\x21-\x7e]/g, "")),
      contentType: fc.constantFrom(null, "application/json", "application/x-www-form-urlencoded", "text/plain", "application/octet-stream", "multipart/form-data; boundary=x", "application/json; charset=latin1"),
      extraHeaders: fc.array(header, { maxLength: 4 }),
      body: fc.oneof(
        fc.constant({ kind: "none" as const }),
        jsonText.map((text) => ({ kind: "text" as const, text })),
        fc.uint8Array({ maxLength: 256 }).map((bytes) => ({ kind: "bytes" as const, bytes }))
      ),
      signature: fc.constantFrom<SignatureMode>("none", "garbage", "valid"),
      organization: fc.nat({ max: 2 })
    })

    const methodOf = (fuzzed: FuzzRequest) => fuzzed.otherMethod ?? fuzzed.route[0]
    const build = (fuzzed: FuzzRequest, index: number): Request => {
      const params = [...fuzzed.params]
      const method = methodOf(fuzzed)
      const path = fuzzed.route[1].replace(":provider", fuzzed.provider).replace(/:p/g, () => params.shift() ?? "x")
      const query = fuzzed.query.length === 0 ? "" : `?${new URLSearchParams(fuzzed.query.map(([key, value]) => [key, value])).toString()}`
      const headers = new Headers()
      for (const [name, value] of fuzzed.extraHeaders) headers.set(name, value)
      if (fuzzed.contentType !== null) headers.set("content-type", fuzzed.contentType)
      const bearer = bearers[fuzzed.bearer]
      if (bearer === "garbage") headers.set("authorization", `Bearer ${fuzzed.garbageBearer}`)
      else if (bearer !== null && bearer !== undefined) headers.set("authorization", `Bearer ${bearer}`)
      const hasBody = method !== "GET" && method !== "HEAD"
      const body: string | Uint8Array<ArrayBuffer> = !hasBody || fuzzed.body.kind === "none"
        ? ""
        : fuzzed.body.kind === "text"
        ? fuzzed.body.text
        : new Uint8Array(fuzzed.body.bytes)
      const webhook = path.startsWith("/webhook/")
      if (webhook && fuzzed.signature !== "valid") {
        // Delivery ids a vendor would send, marked so the end check can find them if stored.
        for (const name of ["linear-delivery", "x-github-delivery", "x-atlassian-webhook-identifier"]) headers.set(name, `${UNSIGNED}${index}`)
        headers.set("x-github-event", "issues")
      }
      if (webhook && fuzzed.signature === "garbage") {
        const fake = hmacHex("not-the-secret", body)
        headers.set("linear-signature", fake)
        headers.set("x-hub-signature-256", `sha256=${fake}`)
        headers.set("x-hub-signature", `sha256=${fake}`)
        headers.set("x-slack-request-timestamp", String(Math.floor(Date.now() / 1000)))
        headers.set("x-slack-signature", `v0=${fake}`)
      }
      if (webhook && fuzzed.signature === "valid") {
        const timestamp = String(Math.floor(Date.now() / 1000))
        const secret = fuzzed.provider === "linear" ? kernel.secrets.webhook : fuzzed.provider === "slack" ? SECRETS.slack : fuzzed.provider === "jira" ? SECRETS.jira : SECRETS.github
        headers.set("linear-signature", hmacHex(secret, body))
        headers.set("linear-delivery", `signed-${index}`)
        headers.set("x-hub-signature-256", `sha256=${hmacHex(secret, body)}`)
        headers.set("x-hub-signature", `sha256=${hmacHex(secret, body)}`)
        headers.set("x-github-delivery", `signed-${index}`)
        headers.set("x-atlassian-webhook-identifier", `signed-${index}`)
        headers.set("x-slack-request-timestamp", timestamp)
        const slackBase = typeof body === "string" ? `v0:${timestamp}:${body}` : Buffer.concat([Buffer.from(`v0:${timestamp}:`), Buffer.from(body)])
        headers.set("x-slack-signature", `v0=${hmacHex(SECRETS.slack, slackBase)}`)
      }
      return new Request(`http://switchboard.test${path}${query}`, {
        method,
        headers,
        ...(hasBody ? { body } : {}),
        redirect: "manual"
      })
    }

    let index = 0
    const failures: Array<string> = []
    await fc.assert(
      fc.asyncProperty(request, async (fuzzed) => {
        index++
        const sent = build(fuzzed, index)
        const path = new URL(sent.url).pathname
        const response = await kernel.app.fetch(sent)
        const text = await response.text()
        counts.requests++
        counts.byStatus.set(response.status, (counts.byStatus.get(response.status) ?? 0) + 1)
        const unsignedWebhook = path.startsWith("/webhook/") && fuzzed.signature !== "valid"
        if (unsignedWebhook) counts.unsigned++
        if (path.startsWith("/webhook/") && fuzzed.signature === "valid") counts.validSigned++
        const problem = response.status >= 500
          ? `${response.status}`
          : STACK_TRACE.some((pattern) => pattern.test(text))
          ? "a stack trace in the body"
          : unsignedWebhook && response.status < 300
          ? `an unsigned webhook answered ${response.status}`
          : undefined
        if (problem !== undefined) {
          failures.push(`${problem}: ${methodOf(fuzzed)} ${path} -> ${text.slice(0, 300)}`)
          throw new Error(failures.at(-1))
        }
      }),
      { numRuns: RUNS, endOnFailure: true }
    )

    // What the background made of it: nothing unsigned reached the sink or either tenant's deliveries.
    await kernel.app.drain()
    const stored = await Promise.all([a, b].map(async (tenant) =>
      JSON.stringify(await (await kernel.request("/v1/deliveries?limit=200", { apiKey: tenant.apiKey })).json())
    ))
    const dispatchedUnsigned = kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId.startsWith(UNSIGNED)).length
    const storedUnsigned = stored.filter((text) => text.includes(`"${UNSIGNED}`)).length
    const statuses = [...counts.byStatus.entries()].sort(([left], [right]) => left - right).map(([status, count]) => `${status}:${count}`).join(" ")
    const summary = `fuzz-routes: injected ${counts.requests} requests (${counts.validSigned} validly signed webhooks, ${counts.unsigned} unsigned or badly signed); ` +
      `counted statuses ${statuses}; ${kernel.deliveries.length} dispatches, ${dispatchedUnsigned} of them unsigned, ${storedUnsigned} tenants storing an unsigned one`
    writeSummary("fuzz-routes", summary)
    expect(failures, summary).toEqual([])
    expect(dispatchedUnsigned + storedUnsigned, summary).toBe(0)
  })

  it("answers validly signed Linear deliveries with any field replaced without a 5xx, and dispatches only to the owning tenant", async () => {
    // Its own two tenants: the route fuzzing above may have deleted an installation or paused a
    // publication with a real id and a real key, after which nothing would dispatch.
    const { kernel, a, b } = await startTwoTenants(ENV)
    try {
      const owners = new Map([[a.organizationId, a], [b.organizationId, b]])
      const sentTo = new Map<string, string>()
      const statuses = new Map<number, number>()
      const delivery = fc.record({
        organizationId: fc.constantFrom(a.organizationId, b.organizationId, "org-nobody"),
        overrides: fc.dictionary(
          fc.constantFrom("action", "agentSession", "guidance", "promptContext", "appUserId", "oauthClientId", "createdAt", "data", "type"),
          fc.jsonValue({ maxDepth: 2 }),
          { maxKeys: 2 }
        ),
        event: fc.option(fc.constantFrom("AgentSessionEvent", "Issue", "Comment", "AppUserNotification", "OAuthApp", "Garbage"), { nil: undefined })
      })
      let index = 0
      await fc.assert(
        fc.asyncProperty(delivery, async ({ event, organizationId, overrides }) => {
          index++
          const deliveryId = `mutated-${index}`
          const signed = await Effect.runPromise(signLinearWebhook({
            secret: kernel.secrets.webhook,
            payload: { ...agentSessionCreated({ organizationId, sessionId: crypto.randomUUID() }), ...overrides },
            deliveryId,
            event
          }))
          const response = await sendSigned(kernel, signed)
          const text = await response.text()
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
          sentTo.set(deliveryId, organizationId)
          if (response.status >= 500 || STACK_TRACE.some((pattern) => pattern.test(text))) {
            throw new Error(`${response.status}: ${JSON.stringify(overrides).slice(0, 200)} -> ${text.slice(0, 300)}`)
          }
        }),
        { numRuns: 300, endOnFailure: true }
      )
      await kernel.app.drain()
      const mutated = kernel.deliveries.filter((entry) => sentTo.has(entry.dispatch.deliveryId))
      const misrouted = mutated.filter((entry) => {
        const owner = owners.get(sentTo.get(entry.dispatch.deliveryId)!)
        return owner === undefined || owner.tenantId !== entry.dispatch.tenantId || owner.publicationId !== entry.dispatch.publicationId
      })
      const summary = `fuzz-routes (signed Linear): injected ${index} validly signed deliveries with replaced fields; counted statuses ` +
        `${[...statuses.entries()].sort(([left], [right]) => left - right).map(([status, count]) => `${status}:${count}`).join(" ")}; ` +
        `${mutated.length} dispatches, ${misrouted.length} to a tenant that does not own the workspace`
      writeSummary("fuzz-routes-signed", summary)
      expect(mutated.length, summary).toBeGreaterThan(0)
      expect(misrouted.length, summary).toBe(0)
    } finally {
      await kernel.close()
    }
  })
})
