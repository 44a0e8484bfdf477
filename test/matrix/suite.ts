/**
 * The black-box suite every runtime must pass, written once: it only speaks HTTP to a base URL,
 * drives the fake Linear, Slack and GitHub, and reads what reached the session receiver. Cases
 * run in order and build on each other (tenant → install → publication → webhooks → MCP →
 * isolation). Each waits for the deliveries it caused by their delivery id, never by count:
 * Slack's slow-sink case sends its mention early and collects its dispatch near the end, so the
 * sink's 10 seconds pass while the Linear and GitHub cases run.
 *
 * Every answer from the runtime is recorded; the last case checks that none was a 500 and none
 * carried a stack trace.
 */
import { randomUUID } from "node:crypto"
import { Client as ClientV2, StreamableHTTPClientTransport as StreamableHTTPClientTransportV2 } from "@modelcontextprotocol/client"
import { Schema } from "effect"
import { assert, it } from "vitest"
import type { FakeApp, FakeIssue as FakeGitHubIssue, FakeRepo } from "../../sandbox/fakes/github/FakeGitHubState.ts"
import * as GitHubPayloads from "../../sandbox/fakes/github/payloads.ts"
import type { FakeIssue } from "../../sandbox/fakes/linear/FakeLinearState.ts"
import * as SlackPayloads from "../../sandbox/fakes/slack/payloads.ts"
import { makeActors } from "./actors.ts"
import type { Tenant } from "./actors.ts"
import { decode, expectError, makeRuntimeClient, sleep, stackTrace } from "./client.ts"
import { maxBodyBytes } from "./harness.ts"
import type { MatrixContext } from "./harness.ts"
import type { ReceivedDelivery } from "./SessionReceiver.ts"

const Installations = Schema.Struct({
  installations: Schema.Array(Schema.Struct({ id: Schema.String, providerId: Schema.String }))
})
const WebhookAnswer = Schema.Struct({ ok: Schema.Literal(true), status: Schema.Literals(["accepted", "duplicate"]) })
const Integrations = Schema.Struct({
  integrations: Schema.Array(Schema.Struct({
    id: Schema.String,
    tools: Schema.Array(Schema.Struct({ name: Schema.String, scope: Schema.String }))
  }))
})
const RejectedList = Schema.Struct({
  rejected: Schema.Array(Schema.Struct({
    status: Schema.Number,
    reason: Schema.String,
    headers: Schema.Record(Schema.String, Schema.String)
  }))
})
const Deliveries = Schema.Struct({
  deliveries: Schema.Array(Schema.Struct({
    event: Schema.Struct({ id: Schema.String, deliveryId: Schema.String }),
    dispatches: Schema.Array(Schema.Struct({ id: Schema.String, status: Schema.String, attempts: Schema.Number }))
  }))
})
const Registrations = Schema.Struct({
  registrations: Schema.Array(Schema.Struct({
    id: Schema.String,
    providerId: Schema.String,
    status: Schema.String,
    externalAppId: Schema.NullOr(Schema.String)
  }))
})
const GitHubInstallations = Schema.Struct({
  installations: Schema.Array(Schema.Struct({
    id: Schema.String,
    providerId: Schema.String,
    status: Schema.String,
    externalAccountId: Schema.String
  }))
})
const ToolAnswer = Schema.Struct({
  isError: Schema.optional(Schema.Boolean),
  content: Schema.Array(Schema.Struct({ type: Schema.String, text: Schema.optional(Schema.String) })),
  structuredContent: Schema.optional(Schema.Record(Schema.String, Schema.Unknown))
})
const IssuedApiKey = Schema.Struct({ apiKey: Schema.Struct({ id: Schema.String, apiKey: Schema.String }) })
const AppMentionEvent = Schema.Struct({ event_id: Schema.String, event: Schema.Struct({ type: Schema.Literal("app_mention") }) })

/** Slack retries a delivery it has no answer to within 3 s. */
const slackDeadlineMs = 3_000
/** How long the session receiver takes to answer Slack's slow dispatch. */
const slowSinkMs = 10_000

export const matrixCases = (context: () => MatrixContext): void => {
  const client = makeRuntimeClient(() => context().baseUrl)
  const { http } = client
  const {
    send,
    postWebhook,
    sessionCreated,
    sessionPrompted,
    createTenant,
    installLinear,
    createPublication,
    installSlack,
    slackEvent,
    createGitHubApp,
    installGitHubApp,
    githubWebhook,
    mcpClient
  } = makeActors(context, client)
  const linear = () => context().fakes.linear
  const slack = () => context().fakes.slack
  const github = () => context().fakes.github
  const sessions = () => context().fakes.sessions
  const withDeliveryId = (deliveryId: string) => (delivery: ReceivedDelivery["delivery"]) =>
    delivery.dispatch.deliveryId === deliveryId
  const deliveriesOf = (deliveryId: string) =>
    sessions().deliveries.filter((entry) => entry.delivery.dispatch.deliveryId === deliveryId)

  const allSecretsOfLinear = () => [
    ...linear().control.state.accessTokens.keys(),
    ...linear().control.state.refreshTokens.keys(),
    context().secrets.linearClientSecret
  ]

  // What the cases build up.
  let tenantA: Tenant
  let installationA: string
  let publicationA: string
  let issue: FakeIssue
  let linearSessionId: string
  let firstDelivery: ReceivedDelivery
  let linearTokenA: string | null = null
  let toolsOf = new Map<string, ReadonlyArray<{ readonly name: string; readonly scope: string }>>()
  // Slack's slow dispatch, sent early and collected late.
  let slackTenant: Tenant
  let slackInstallation: string
  let slackPublication: string
  let slowEventId: string
  let slowSink = () => {}
  // GitHub: the tenant's own App, its installation, and the dispatch the tools run under.
  let githubTenant: Tenant
  let githubApp: { readonly registrationId: string; readonly app: FakeApp }
  let githubRepo: FakeRepo
  let githubInstallation: string
  let githubAccountInstallation: number
  let githubPublication: string
  let githubIssue: FakeGitHubIssue
  let githubDelivery: ReceivedDelivery

  /** What `tools/list` must show for a publication: exactly the provider's tools its scopes cover. */
  const toolsWithin = (providerId: string, scopes: ReadonlyArray<string>) =>
    (toolsOf.get(providerId) ?? []).filter((tool) => scopes.includes(tool.scope)).map((tool) => tool.name).sort()

  it("GET /health answers 200 {ok: true}", async () => {
    const answer = await http("/health")
    assert.strictEqual(answer.status, 200, answer.text)
    assert.deepStrictEqual(JSON.parse(answer.text), { ok: true })
  })

  it("GET / serves the Console page, and the files it names (loaded on first use; on Workers a module of their own)", async () => {
    const page = await http("/")
    assert.strictEqual(page.status, 200, page.text)
    const script = /<script type="module" src="(\/console\/[0-9a-f]+\/main\.js)">/.exec(page.text)
    assert.isNotNull(script, page.text)
    const main = await http(script![1]!)
    assert.strictEqual(main.status, 200, main.text)
    assert.match(main.headers.get("content-type") ?? "", /^text\/javascript/)
    assert.include(main.headers.get("cache-control") ?? "", "immutable")
    assert.include(main.text, "import ")
  })

  it("GET /v1/integrations lists Linear, Slack and GitHub and their MCP tools", async () => {
    const answer = await http("/v1/integrations")
    assert.strictEqual(answer.status, 200, answer.text)
    toolsOf = new Map(decode(Integrations, answer).integrations.map((entry) => [entry.id, entry.tools]))
    assert.includeMembers([...toolsOf.keys()], ["linear", "slack", "github"])
    const names = (providerId: string) => (toolsOf.get(providerId) ?? []).map((tool) => tool.name)
    assert.includeMembers(names("linear"), ["mcp_linear_create_comment", "mcp_linear_get_issue"])
    assert.includeMembers(names("slack"), ["mcp_slack_reply_in_thread", "mcp_slack_read_thread"])
    assert.includeMembers(names("github"), ["mcp_github_create_comment", "mcp_github_get_issue"])
  })

  it("the tenant API refuses a request without an API key (401 JSON)", async () => {
    expectError(await http("/v1/installations"), 401)
    expectError(await http("/v1/installations", { bearer: "sbk_not-a-real-key" }), 401)
    expectError(await http("/v1/tenants", { method: "POST", bearer: "wrong-admin-token", json: { name: "x" } }), 401)
  })

  it("a revoked API key is refused at once; the tenant's other keys keep working", async () => {
    const tenant = await createTenant("revoking")
    const created = await http("/v1/api-keys", { method: "POST", bearer: tenant.apiKey, json: { name: "leaked" } })
    assert.strictEqual(created.status, 201, created.text)
    const { apiKey: issued } = decode(IssuedApiKey, created)
    assert.strictEqual((await http("/v1/installations", { bearer: issued.apiKey })).status, 200)
    const revoked = await http(`/v1/api-keys/${issued.id}`, { method: "DELETE", bearer: tenant.apiKey })
    assert.strictEqual(revoked.status, 200, revoked.text)
    // The very next request: no cache anywhere lets the key through.
    expectError(await http("/v1/installations", { bearer: issued.apiKey }), 401)
    assert.strictEqual((await http("/v1/installations", { bearer: tenant.apiKey })).status, 200)
  })

  it("Slack: url_verification → 200 with the challenge as plain text", async () => {
    const challenge = `challenge-${randomUUID()}`
    const answer = await slackEvent(SlackPayloads.urlVerification(challenge))
    assert.strictEqual(answer.status, 200, answer.text)
    assert.include(answer.headers.get("content-type") ?? "", "text/plain")
    assert.strictEqual(answer.text, challenge)
  })

  it("Slack: a stale timestamp → 401 StaleTimestamp", async () => {
    const { control } = slack()
    const event = control.envelope(SlackPayloads.appMention({
      channel: "C0STALE01",
      user: "U0STALE01",
      ts: "1700000000.000100",
      text: `<@${control.app.botUserId}> old news`
    }))
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60
    expectError(await slackEvent(event, { timestamp: sixMinutesAgo }), 401, "StaleTimestamp")
  })

  it("Slack: installed by OAuth; with a 10 s session sink, an app_mention is still acknowledged in < 3 s", async () => {
    slackTenant = await createTenant("umbrella")
    slackInstallation = await installSlack(slackTenant.apiKey)
    slackPublication = await createPublication(slackTenant.apiKey, slackInstallation, "agent-slack", ["messages:write"], "thread")
    const { control } = slack()
    const ada = control.seedUser({ name: "ada" })
    const general = control.seedChannel({ name: "general", members: [ada.id] })
    const said = control.say({ channel: general.id, user: ada.id, text: `<@${control.app.botUserId}> take your time` })
    const mention = said.events.find(Schema.is(AppMentionEvent))
    assert.isDefined(mention, "the fake delivers an app_mention for a mention in a channel")
    slowEventId = mention!.event_id
    slowSink = sessions().answerAfter(slowSinkMs, withDeliveryId(slowEventId))

    const started = performance.now()
    const answer = await slackEvent(mention)
    const elapsed = performance.now() - started
    assert.strictEqual(answer.status, 200, answer.text)
    assert.strictEqual(decode(WebhookAnswer, answer).status, "accepted")
    assert.isBelow(elapsed, slackDeadlineMs, `acknowledged after ${Math.round(elapsed)} ms`)
    // The dispatch is collected by "Slack: ... still arrives, once" below, after the other cases.
    assert.lengthOf(deliveriesOf(slowEventId), 0, "acknowledged before the sink answered")
  })

  it("OAuth install round trip through the fake Linear; no token in the API", async () => {
    tenantA = await createTenant("acme")
    installationA = await installLinear(tenantA.apiKey)
    const listed = await http("/v1/installations", { bearer: tenantA.apiKey })
    assert.strictEqual(listed.status, 200, listed.text)
    assert.deepInclude(decode(Installations, listed).installations.map((entry) => entry.id), installationA)
    const issued = allSecretsOfLinear()
    assert.isAbove(issued.length, 1)
    for (const secret of issued) assert.notInclude(listed.text, secret)
    assert.notMatch(listed.text, /lin_oauth_|lin_refresh_/)
  })

  it("creates a publication", async () => {
    publicationA = await createPublication(tenantA.apiKey, installationA, "agent-a", ["comments:write"])
    const listed = await http("/v1/publications", { bearer: tenantA.apiKey })
    assert.strictEqual(listed.status, 200, listed.text)
    assert.include(listed.text, publicationA)
  })

  it("AgentSessionEvent created → 200 and one signed delivery, mode create", async () => {
    issue = linear().control.seedIssue({ title: "Checkout fails on Safari", description: "Steps: ..." })
    linearSessionId = `ags-${randomUUID()}`
    const deliveryId = randomUUID()
    const answer = await postWebhook(sessionCreated(issue, linearSessionId, "@agent please fix this"), { deliveryId })
    assert.strictEqual(answer.status, 200, answer.text)
    assert.strictEqual(decode(WebhookAnswer, answer).status, "accepted")
    firstDelivery = await sessions().waitForMatch(withDeliveryId(deliveryId))
    const { dispatch, mcp } = firstDelivery.delivery
    assert.strictEqual(dispatch.mode, "create")
    assert.strictEqual(dispatch.tenantId, tenantA.id)
    assert.strictEqual(dispatch.installationId, installationA)
    assert.strictEqual(dispatch.publicationId, publicationA)
    assert.strictEqual(dispatch.agentId, "agent-a")
    assert.strictEqual(dispatch.eventType, "AgentSessionEvent.created")
    assert.strictEqual(mcp.url, `${context().baseUrl}/mcp`)
    assert.strictEqual(firstDelivery.headers["idempotency-key"], dispatch.id)
    assert.lengthOf(sessions().rejected, 0, "every delivery carried a valid switchboard-signature")
  })

  it("the MCP SDK client sees only in-scope tools and comments through the fake Linear", async () => {
    const client = await mcpClient(firstDelivery)
    try {
      const { tools } = await client.listTools()
      assert.deepStrictEqual(tools.map((tool) => tool.name).sort(), toolsWithin("linear", ["comments:write"]))
      assert.notInclude(tools.map((tool) => tool.name), "mcp_linear_get_issue")
      const before = linear().graphqlCalls.length
      const result = await client.callTool({
        name: "mcp_linear_create_comment",
        arguments: { issueId: issue.id, body: "On it: reproducing in Safari." }
      })
      assert.notStrictEqual(result.isError, true, JSON.stringify(result))
      const comments = linear().control.comments(issue.id)
      assert.deepInclude(comments.map((comment) => comment.body), "On it: reproducing in Safari.")
      linearTokenA = linear().graphqlCalls.slice(before).at(-1)?.authorization ?? null
      assert.isString(linearTokenA)
      // Out of scope: the publication did not grant issues:read.
      const denied = await client.callTool({ name: "mcp_linear_get_issue", arguments: { issueId: issue.id } }).then(
        (answer) => answer.isError === true,
        () => true
      )
      assert.isTrue(denied, "a tool outside the publication's scopes must not run")
    } finally {
      await client.close()
    }
  })

  it("the MCP SDK v2 client on 2026-07-28 (pinned and auto) lists and calls tools; an unknown tool is -32602", async () => {
    for (const mode of [{ pin: "2026-07-28" as const }, "auto" as const]) {
      const client = new ClientV2({ name: "switchboard-matrix-v2", version: "1.0.0" }, { versionNegotiation: { mode } })
      await client.connect(
        new StreamableHTTPClientTransportV2(new URL(firstDelivery.delivery.mcp.url), {
          requestInit: { headers: { authorization: `Bearer ${firstDelivery.delivery.mcp.token}` } }
        })
      )
      try {
        assert.strictEqual(client.getNegotiatedProtocolVersion(), "2026-07-28")
        const { tools } = await client.listTools()
        assert.deepStrictEqual(tools.map((tool) => tool.name).sort(), toolsWithin("linear", ["comments:write"]))
        const result = await client.callTool({
          name: "mcp_linear_create_comment",
          arguments: { issueId: issue.id, body: `v2 client, ${JSON.stringify(mode)}` }
        })
        assert.notStrictEqual(result.isError, true, JSON.stringify(result))
        const unknown = await client.callTool({ name: "mcp_linear_no_such_tool", arguments: {} }).then(
          () => undefined,
          (error: unknown) => Schema.decodeUnknownSync(Schema.Struct({ code: Schema.Number }))(error).code
        )
        assert.strictEqual(unknown, -32602)
      } finally {
        await client.close()
      }
    }
  })

  it("AgentSessionEvent prompted → a second delivery, mode resume, same session", async () => {
    const deliveryId = randomUUID()
    const answer = await postWebhook(sessionPrompted(issue, linearSessionId, "Also Firefox?"), { deliveryId })
    assert.strictEqual(answer.status, 200, answer.text)
    const second = (await sessions().waitForMatch(withDeliveryId(deliveryId))).delivery.dispatch
    assert.strictEqual(second.mode, "resume")
    assert.strictEqual(second.sessionId, firstDelivery.delivery.dispatch.sessionId)
    assert.strictEqual(second.sessionKey, firstDelivery.delivery.dispatch.sessionKey)
    assert.notStrictEqual(second.id, firstDelivery.delivery.dispatch.id)
  })

  it("the same Linear-Delivery twice → exactly one dispatch", async () => {
    const other = linear().control.seedIssue({ title: "Duplicate me" })
    const deliveryId = randomUUID()
    const payload = sessionCreated(other, `ags-${randomUUID()}`, "@agent once please")
    const first = await postWebhook(payload, { deliveryId })
    const second = await postWebhook(payload, { deliveryId })
    assert.strictEqual(first.status, 200, first.text)
    assert.strictEqual(second.status, 200, second.text)
    assert.strictEqual(decode(WebhookAnswer, first).status, "accepted")
    assert.strictEqual(decode(WebhookAnswer, second).status, "duplicate")
    await sessions().waitForMatch(withDeliveryId(deliveryId))
    await sleep(1_500)
    const forIssue = sessions().deliveries.filter((entry) => entry.delivery.dispatch.context["issueId"] === other.id)
    assert.lengthOf(forIssue, 1)
    const listed = await http("/v1/deliveries?limit=50", { bearer: tenantA.apiKey })
    assert.strictEqual(listed.status, 200, listed.text)
    const events = decode(Deliveries, listed).deliveries.filter((entry) => entry.event.deliveryId === deliveryId)
    assert.lengthOf(events, 1)
    assert.lengthOf(events[0]!.dispatches, 1)
  })

  it("a bad signature → 401 BadSignature", async () => {
    const payload = sessionCreated(issue, `ags-${randomUUID()}`, "forged")
    expectError(await postWebhook(payload, { secret: "not-the-webhook-secret" }), 401, "BadSignature")
    const unsigned = await linear().webhook(payload)
    const { "linear-signature": _dropped, ...headers } = unsigned.headers
    expectError(await send("/webhook/linear", { body: unsigned.body, headers }), 401, "BadSignature")
    // Both refusals are kept for the operator, with the signature header named but not shown.
    const rejected = await http("/v1/admin/webhooks/rejected?provider=linear&limit=2", { bearer: context().secrets.adminToken })
    assert.strictEqual(rejected.status, 200, rejected.text)
    const entries = decode(RejectedList, rejected).rejected
    assert.deepStrictEqual(entries.map((entry) => [entry.status, entry.reason]), [[401, "BadSignature"], [401, "BadSignature"]])
    assert.strictEqual(entries[1]!.headers["linear-signature"], "[redacted]")
    assert.notInclude(rejected.text, "forged")
    // And each left its access-log line (JSON, the runtimes' default format) in the runtime's output.
    const accessLine = /"message":"http request".*"path":"\/webhook\/linear".*"status":401.*"reason":"BadSignature"/
    for (let waited = 0; !accessLine.test(context().logs()) && waited < 5_000; waited += 100) await sleep(100)
    assert.match(context().logs(), accessLine, "no access-log line for the refused webhook")
  })

  it("a stale timestamp → 401 StaleTimestamp", async () => {
    const payload = sessionCreated(issue, `ags-${randomUUID()}`, "old news")
    expectError(await postWebhook(payload, { timestamp: Date.now() - 10 * 60_000 }), 401, "StaleTimestamp")
  })

  it("an oversized body → 413", async () => {
    const padding = "x".repeat(maxBodyBytes + 16 * 1024)
    const payload = { ...sessionCreated(issue, `ags-${randomUUID()}`, "big"), padding }
    expectError(await postWebhook(payload), 413, "TooLarge")
    // Just under the limit is still a webhook (accepted or ignored, but read and answered 200).
    const fits = { ...sessionCreated(issue, `ags-${randomUUID()}`, "fits"), padding: "x".repeat(maxBodyBytes - 4 * 1024) }
    const answer = await postWebhook(fits)
    assert.strictEqual(answer.status, 200, answer.text)
  })

  it("malformed JSON with a valid signature → 400", async () => {
    const signed = await linear().signedRaw("{\"type\": \"AgentSessionEvent\", \"action\": ")
    expectError(await send("/webhook/linear", signed), 400, "Malformed")
  })

  it("an unknown provider → 404", async () => {
    const signed = await linear().webhook(sessionCreated(issue, `ags-${randomUUID()}`, "nope"))
    expectError(await send("/webhook/nope", signed), 404, "UnknownProvider")
  })

  it("tenant isolation: A's key and A's session token never reach tenant B", async () => {
    const tenantB = await createTenant("globex")
    const installationB = await installLinear(tenantB.apiKey)
    const publicationB = await createPublication(tenantB.apiKey, installationB, "agent-b", [
      "issues:read",
      "comments:write"
    ])

    // The management API is scoped by the key.
    const listedA = await http("/v1/installations", { bearer: tenantA.apiKey })
    assert.notInclude(listedA.text, installationB)
    const patched = await http(`/v1/publications/${publicationB}`, {
      method: "PATCH",
      bearer: tenantA.apiKey,
      json: { scopes: ["issues:read"] }
    })
    assert.strictEqual(patched.status, 404, patched.text)
    const removed = await http(`/v1/installations/${installationB}`, { method: "DELETE", bearer: tenantA.apiKey })
    assert.strictEqual(removed.status, 404, removed.text)
    const listedB = await http("/v1/installations", { bearer: tenantB.apiKey })
    assert.include(listedB.text, installationB)

    // A session token is no API key, and a token edited to name B is not a token.
    const tokenA = firstDelivery.delivery.mcp.token
    expectError(await http("/v1/installations", { bearer: tokenA }), 401)
    // The token's claims (a JWT here, but the suite only needs "something signed that names A")
    // edited to name B's tenant, installation and publication, keeping A's signature.
    const [header, payload, signature] = tokenA.split(".")
    assert.isString(signature, "the MCP token is header.payload.signature")
    const claims = Buffer.from(payload!, "base64url").toString("utf8")
    assert.include(claims, tenantA.id)
    const edited = claims.replaceAll(tenantA.id, tenantB.id).replaceAll(installationA, installationB)
      .replaceAll(publicationA, publicationB)
    const forged = `${header}.${Buffer.from(edited).toString("base64url")}.${signature}`
    const forgedAnswer = await http("/mcp", {
      method: "POST",
      bearer: forged,
      headers: { accept: "application/json, text/event-stream" },
      json: { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }
    })
    assert.strictEqual(forgedAnswer.status, 401, forgedAnswer.text)

    // A uninstalls; A's still-unexpired session token must not borrow B's installation.
    const uninstalled = await http(`/v1/installations/${installationA}`, { method: "DELETE", bearer: tenantA.apiKey })
    assert.isTrue(uninstalled.status >= 200 && uninstalled.status < 300, uninstalled.text)
    const commentsBefore = linear().control.comments(issue.id).length
    const callsBefore = linear().graphqlCalls.length
    const refused = await mcpClient(firstDelivery).then(async (client) => {
      try {
        const result = await client.callTool({
          name: "mcp_linear_create_comment",
          arguments: { issueId: issue.id, body: "Written with A's token after A left" }
        })
        return result.isError === true
      } finally {
        await client.close()
      }
    }, () => true)
    assert.isTrue(refused, "a tool call for an uninstalled installation must fail")
    assert.strictEqual(linear().control.comments(issue.id).length, commentsBefore)
    for (const call of linear().graphqlCalls.slice(callsBefore)) {
      assert.strictEqual(call.authorization, linearTokenA, "a call with A's session used another installation's token")
    }

    // B still works, with B's own scopes.
    const otherIssue = linear().control.seedIssue({ title: "For tenant B" })
    const deliveryId = randomUUID()
    const answer = await postWebhook(sessionCreated(otherIssue, `ags-${randomUUID()}`, "@agent hello from B"), { deliveryId })
    assert.strictEqual(answer.status, 200, answer.text)
    await sessions().waitForMatch(withDeliveryId(deliveryId))
    await sleep(500)
    const forB = deliveriesOf(deliveryId)
    assert.isTrue(forB.length >= 1)
    for (const entry of forB) assert.strictEqual(entry.delivery.dispatch.tenantId, tenantB.id)
    const client = await mcpClient(forB[0]!)
    try {
      const { tools } = await client.listTools()
      assert.deepStrictEqual(tools.map((tool) => tool.name).sort(), toolsWithin("linear", ["issues:read", "comments:write"]))
      assert.includeMembers(tools.map((tool) => tool.name), ["mcp_linear_create_comment", "mcp_linear_get_issue"])
    } finally {
      await client.close()
    }
  })

  it("GitHub: a tenant's own App from the manifest flow on the fake, installed; registration and installation stored", async () => {
    githubTenant = await createTenant("initech")
    githubRepo = await github().control.seedRepo("acme/widgets", { files: { "README.md": "# widgets\n" } })
    const created = await createGitHubApp(githubTenant.apiKey, "Switchboard Initech")
    githubApp = created
    const { baseUrl } = context()
    assert.deepNestedInclude(created.manifest, {
      "hook_attributes.url": `${baseUrl}/webhook/github/${created.registrationId}`,
      redirect_url: `${baseUrl}/install/github/app/callback`,
      setup_url: `${baseUrl}/install/github/callback`
    })
    githubInstallation = await installGitHubApp(created.installPath, created.returnUrl, "acme")

    const registrations = await http("/v1/registrations", { bearer: githubTenant.apiKey })
    assert.strictEqual(registrations.status, 200, registrations.text)
    assert.deepInclude(decode(Registrations, registrations).registrations, {
      id: created.registrationId,
      providerId: "github",
      status: "active",
      externalAppId: String(created.app.id)
    })
    for (const secret of [created.app.webhookSecret, created.app.clientSecret, created.app.pem]) {
      assert.notInclude(registrations.text, secret)
    }
    const fakeInstallation = github().control.installations().at(-1)!
    githubAccountInstallation = fakeInstallation.id
    const installations = await http("/v1/installations", { bearer: githubTenant.apiKey })
    assert.deepInclude(decode(GitHubInstallations, installations).installations, {
      id: githubInstallation,
      providerId: "github",
      status: "active",
      externalAccountId: String(fakeInstallation.id)
    })
    // The runtime signed an RS256 App JWT (jose over its Web Crypto) that the fake verified.
    const asApp = github().control.requests().filter((entry) => entry.auth === `jwt:${created.app.id}`)
    assert.includeMembers(asApp.map((entry) => `${entry.method} ${entry.path} ${entry.status}`), [
      `GET /app/installations/${fakeInstallation.id} 200`,
      `POST /app/installations/${fakeInstallation.id}/access_tokens 201`
    ])
    githubPublication = await createPublication(githubTenant.apiKey, githubInstallation, "agent-github", [
      "issues:read",
      "comments:write"
    ])
  })

  it("GitHub: an issue_comment mentioning the bot at /webhook/github/<registration> → one dispatch", async () => {
    const { control } = github()
    githubIssue = control.seedIssue("acme/widgets", { title: "Checkout test is flaky", body: "Fails one run in ten." })
    const comment = control.addComment("acme/widgets", githubIssue.number, `@${githubApp.app.slug} can you take this?`, "grace")
    const where = { state: control.state, repo: githubRepo, installationId: githubAccountInstallation, sender: "grace" }
    const event = GitHubPayloads.issueComment(where, "created", githubIssue, { body: comment.body, id: comment.id })
    const deliveryId = randomUUID()
    const first = await githubWebhook(githubApp, event, deliveryId)
    assert.strictEqual(first.status, 200, first.text)
    assert.strictEqual(decode(WebhookAnswer, first).status, "accepted")
    // GitHub's redelivery keeps the delivery id.
    const again = await githubWebhook(githubApp, event, deliveryId)
    assert.strictEqual(again.status, 200, again.text)
    assert.strictEqual(decode(WebhookAnswer, again).status, "duplicate")

    githubDelivery = await sessions().waitForMatch(withDeliveryId(deliveryId))
    const { dispatch } = githubDelivery.delivery
    assert.strictEqual(dispatch.providerId, "github")
    assert.strictEqual(dispatch.tenantId, githubTenant.id)
    assert.strictEqual(dispatch.installationId, githubInstallation)
    assert.strictEqual(dispatch.publicationId, githubPublication)
    assert.strictEqual(dispatch.mode, "create")
    assert.strictEqual(dispatch.eventType, "issue_comment.created")
    assert.strictEqual(dispatch.sessionKey, `github:acme/widgets#${githubIssue.number}`)
    assert.include(dispatch.prompt, "can you take this?")
    await sleep(1_000)
    assert.lengthOf(deliveriesOf(deliveryId), 1)
  })

  it("GitHub: the MCP SDK client reads the issue and comments on it through the fake, as the installation", async () => {
    const mcp = await mcpClient(githubDelivery)
    try {
      const { tools } = await mcp.listTools()
      assert.deepStrictEqual(tools.map((tool) => tool.name).sort(), toolsWithin("github", ["issues:read", "comments:write"]))
      const read = Schema.decodeUnknownSync(ToolAnswer)(await mcp.callTool({
        name: "mcp_github_get_issue",
        arguments: { repo: "acme/widgets", number: githubIssue.number }
      }))
      assert.notStrictEqual(read.isError, true, JSON.stringify(read))
      assert.strictEqual(read.structuredContent?.["title"], "Checkout test is flaky")

      const body = "Reproduced: the test depends on wall-clock time."
      const written = Schema.decodeUnknownSync(ToolAnswer)(await mcp.callTool({
        name: "mcp_github_create_comment",
        arguments: { repo: "acme/widgets", number: githubIssue.number, body }
      }))
      assert.notStrictEqual(written.isError, true, JSON.stringify(written))
      const posted = github().control.comments("acme/widgets", githubIssue.number).at(-1)
      assert.strictEqual(posted?.body, body)
      assert.strictEqual(posted?.user.login, `${githubApp.app.slug}[bot]`)
      const call = github().control.requests().findLast((entry) => entry.method === "POST" && entry.path.endsWith("/comments"))
      assert.strictEqual(call?.auth, `installation:${githubAccountInstallation}`)
    } finally {
      await mcp.close()
    }
  })

  // Bun, Deno and Node deliver on a background fiber; Workers in `ctx.waitUntil`, which is what
  // delivers here: `wrangler dev` never fires the cron trigger (the outbox drain) by itself.
  it("Slack: the dispatch behind the 10 s sink still arrives, once", async () => {
    try {
      const received = await sessions().waitForMatch(withDeliveryId(slowEventId), slowSinkMs + 10_000)
      const { dispatch } = received.delivery
      assert.strictEqual(dispatch.providerId, "slack")
      assert.strictEqual(dispatch.tenantId, slackTenant.id)
      assert.strictEqual(dispatch.installationId, slackInstallation)
      assert.strictEqual(dispatch.publicationId, slackPublication)
      assert.strictEqual(dispatch.eventType, "app_mention")
      assert.strictEqual(dispatch.mode, "create")
      assert.strictEqual(dispatch.prompt, "take your time")
      // Recorded as delivered at the first attempt, and no second attempt reached the receiver.
      let dispatches: ReadonlyArray<{ readonly status: string; readonly attempts: number }> = []
      for (let tries = 0; tries < 20; tries++) {
        const listed = await http("/v1/deliveries?limit=50", { bearer: slackTenant.apiKey })
        assert.strictEqual(listed.status, 200, listed.text)
        dispatches = decode(Deliveries, listed).deliveries.find((entry) => entry.event.deliveryId === slowEventId)?.dispatches ?? []
        if (dispatches.every((entry) => entry.status !== "pending")) break
        await sleep(250)
      }
      assert.deepStrictEqual(dispatches.map(({ status, attempts }) => ({ status, attempts })), [{ status: "delivered", attempts: 1 }])
      assert.lengthOf(sessions().arrivals.filter((entry) => withDeliveryId(slowEventId)(entry.delivery)), 1)
      assert.lengthOf(deliveriesOf(slowEventId), 1)
    } finally {
      slowSink()
    }
  })

  it("across every answer: never a 500, never a stack trace", async () => {
    const recorded = await client.answers()
    assert.isAbove(recorded.length, 20)
    const serverErrors = recorded.filter((entry) => entry.status >= 500)
    assert.deepStrictEqual(serverErrors, [], "answers with a 5xx status")
    const traces = recorded.filter((entry) => stackTrace.test(entry.text) || entry.text.includes("node_modules"))
    assert.deepStrictEqual(traces, [], "answers carrying a stack trace")
  })
}
