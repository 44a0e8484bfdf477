/**
 * The black-box suite every runtime must pass, written once: it only speaks HTTP to a base URL,
 * drives the fake Linear, and reads what reached the session receiver. Cases run in order and
 * build on each other (tenant → install → publication → webhooks → MCP → isolation).
 *
 * Every answer from the runtime is recorded; the last case checks that none was a 500 and none
 * carried a stack trace.
 */
import { randomUUID } from "node:crypto"
import { Schema } from "effect"
import { assert, it } from "vitest"
import type { FakeIssue } from "../../providers/testing/fakes/linear/FakeLinearState.ts"
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
const Deliveries = Schema.Struct({
  deliveries: Schema.Array(Schema.Struct({
    event: Schema.Struct({ id: Schema.String, deliveryId: Schema.String }),
    dispatches: Schema.Array(Schema.Struct({ id: Schema.String }))
  }))
})

export const matrixCases = (context: () => MatrixContext): void => {
  const client = makeRuntimeClient(() => context().baseUrl)
  const { http } = client
  const { send, postWebhook, sessionCreated, sessionPrompted, createTenant, installLinear, createPublication, mcpClient } =
    makeActors(context, client)
  const linear = () => context().fakes.linear
  const sessions = () => context().fakes.sessions

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
  let linearTools: ReadonlyArray<{ readonly name: string; readonly scope: string }> = []

  /** What `tools/list` must show for a publication: exactly the tools its scopes cover. */
  const toolsWithin = (scopes: ReadonlyArray<string>) =>
    linearTools.filter((tool) => scopes.includes(tool.scope)).map((tool) => tool.name).sort()

  it("GET /health answers 200 {ok: true}", async () => {
    const answer = await http("/health")
    assert.strictEqual(answer.status, 200, answer.text)
    assert.deepStrictEqual(JSON.parse(answer.text), { ok: true })
  })

  it("GET /v1/integrations lists Linear and its MCP tools", async () => {
    const answer = await http("/v1/integrations")
    assert.strictEqual(answer.status, 200, answer.text)
    const linearEntry = decode(Integrations, answer).integrations.find((entry) => entry.id === "linear")
    assert.isDefined(linearEntry)
    linearTools = linearEntry!.tools
    assert.includeMembers(linearTools.map((tool) => tool.name), ["mcp_linear_create_comment", "mcp_linear_get_issue"])
  })

  it("the tenant API refuses a request without an API key (401 JSON)", async () => {
    expectError(await http("/v1/installations"), 401)
    expectError(await http("/v1/installations", { bearer: "sbk_not-a-real-key" }), 401)
    expectError(await http("/v1/tenants", { method: "POST", bearer: "wrong-admin-token", json: { name: "x" } }), 401)
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
    const answer = await postWebhook(sessionCreated(issue, linearSessionId, "@agent please fix this"))
    assert.strictEqual(answer.status, 200, answer.text)
    assert.strictEqual(decode(WebhookAnswer, answer).status, "accepted")
    const [delivery] = await sessions().waitFor(1)
    firstDelivery = delivery!
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
      assert.deepStrictEqual(tools.map((tool) => tool.name).sort(), toolsWithin(["comments:write"]))
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

  it("AgentSessionEvent prompted → a second delivery, mode resume, same session", async () => {
    const answer = await postWebhook(sessionPrompted(issue, linearSessionId, "Also Firefox?"))
    assert.strictEqual(answer.status, 200, answer.text)
    const deliveries = await sessions().waitFor(2)
    const second = deliveries[1]!.delivery.dispatch
    assert.strictEqual(second.mode, "resume")
    assert.strictEqual(second.sessionId, firstDelivery.delivery.dispatch.sessionId)
    assert.strictEqual(second.sessionKey, firstDelivery.delivery.dispatch.sessionKey)
    assert.notStrictEqual(second.id, firstDelivery.delivery.dispatch.id)
  })

  it("the same Linear-Delivery twice → exactly one dispatch", async () => {
    const other = linear().control.seedIssue({ title: "Duplicate me" })
    const deliveryId = randomUUID()
    const payload = sessionCreated(other, `ags-${randomUUID()}`, "@agent once please")
    const before = sessions().deliveries.length
    const first = await postWebhook(payload, { deliveryId })
    const second = await postWebhook(payload, { deliveryId })
    assert.strictEqual(first.status, 200, first.text)
    assert.strictEqual(second.status, 200, second.text)
    assert.strictEqual(decode(WebhookAnswer, first).status, "accepted")
    assert.strictEqual(decode(WebhookAnswer, second).status, "duplicate")
    await sessions().waitFor(before + 1)
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
    const before = sessions().deliveries.length
    const answer = await postWebhook(sessionCreated(otherIssue, `ags-${randomUUID()}`, "@agent hello from B"))
    assert.strictEqual(answer.status, 200, answer.text)
    await sessions().waitFor(before + 1)
    await sleep(500)
    const forB = sessions().deliveries.slice(before)
    assert.isTrue(forB.length >= 1)
    for (const entry of forB) assert.strictEqual(entry.delivery.dispatch.tenantId, tenantB.id)
    const client = await mcpClient(forB[0]!)
    try {
      const { tools } = await client.listTools()
      assert.deepStrictEqual(tools.map((tool) => tool.name).sort(), toolsWithin(["issues:read", "comments:write"]))
      assert.includeMembers(tools.map((tool) => tool.name), ["mcp_linear_create_comment", "mcp_linear_get_issue"])
    } finally {
      await client.close()
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
