/**
 * Acceptance 2 of issue 16: three Bun instances on one Postgres database.
 *
 * - Twenty concurrent tool calls spread across the instances, on an access token Linear has
 *   expired: exactly one refresh reaches Linear (a second would spend the rotated refresh token
 *   again and be refused as a revoked grant), and all twenty succeed.
 * - Webhooks spread across the instances, one instance SIGKILLed mid-load (what it could not
 *   answer is sent again to another, as a vendor retries): every acknowledged webhook is
 *   dispatched, by the survivors where the dead one held it, and the duplicates (one idempotency
 *   key arriving twice) are no more than the deliveries in flight at the kill.
 *
 * - Failed authentications spread across the instances are counted once (the limits are rows
 *   every instance spends from): past the default 30 a minute, a wrong key gets 429 from any
 *   instance, while the tenant's own key still works on each.
 *
 * "In flight at the kill": deliveries the sink had received and not yet answered, plus those it
 * answered in the last 500 ms (the dead instance may not have recorded the answer yet).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { randomUUID } from "node:crypto"
import { Schema } from "effect"
import { afterAll, assert, beforeAll, it } from "vitest"
import type { FakeIssue } from "../../sandbox/fakes/linear/FakeLinearState.ts"
import { startPostgres, type PostgresServer } from "../support/postgres.ts"
import { type BunCluster, startBunCluster } from "./bunCluster.ts"
import { writeSummary } from "./bunRuntime.ts"
import { type SinkServer, startSink } from "./sinkServer.ts"

const INSTANCES = 3
const TOOL_CALLS = 20
const WEBHOOKS = 240
const LOOPS = 6
const KILL_AFTER_ACKS = 90
const SINK_DELAY_MS = 40
const RECORDING_WINDOW_MS = 500

const McpOf = Schema.Struct({ mcp: Schema.Struct({ url: Schema.String, token: Schema.String }) })
const decodeMcp = Schema.decodeUnknownSync(Schema.fromJsonString(McpOf))
const ToolText = Schema.Struct({ isError: Schema.optional(Schema.Boolean), content: Schema.Array(Schema.Struct({ text: Schema.optional(Schema.String) })) })

let postgres: PostgresServer
let sink: SinkServer
let cluster: BunCluster
let tenantKey: string
const clients: Array<Client> = []

beforeAll(async () => {
  postgres = await startPostgres()
  const databaseUrl = postgres.createDatabase("cluster")
  sink = await startSink(() => ({ status: 200, afterMs: SINK_DELAY_MS }))
  cluster = await startBunCluster({ count: INSTANCES, databaseUrl, sinkUrl: sink.url })
  const tenant = await cluster.actors.createTenant("cluster")
  tenantKey = tenant.apiKey
  const installation = await cluster.actors.installLinear(tenant.apiKey)
  await cluster.actors.createPublication(tenant.apiKey, installation, "agent-c", ["issues:read", "comments:write"])
}, 150_000)

afterAll(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => {})))
  await cluster?.close()
  await sink?.close()
  postgres?.stop()
}, 60_000)

/** Sends one signed Linear webhook to `baseUrl`; the status, or 0 when nobody answered. */
const sendTo = async (baseUrl: string, issue: FakeIssue, deliveryId: string): Promise<number> => {
  const payload = cluster.actors.sessionCreated(issue, `ags-${randomUUID()}`, "@agent cluster")
  const signed = await cluster.fakes.linear.webhook(payload, { deliveryId })
  return fetch(`${baseUrl}/webhook/linear`, { method: "POST", headers: signed.headers, body: signed.body })
    .then(async (response) => (await response.arrayBuffer(), response.status), () => 0)
}

it("twenty concurrent tool calls across the instances on an expired token: one refresh, twenty successes", async () => {
  const linear = cluster.fakes.linear.control
  const issue = linear.seedIssue({ title: "Token expired, three instances" })
  const deliveryId = randomUUID()
  assert.strictEqual(await sendTo(cluster.instances[0]!.baseUrl, issue, deliveryId), 200)
  await sink.until(() => sink.arrivals.some((arrival) => arrival.deliveryId === deliveryId), 20_000, () => "no delivery")
  const { mcp } = decodeMcp(sink.arrivals.find((arrival) => arrival.deliveryId === deliveryId)!.body)
  // One agent, one token, one MCP client per instance: the MCP URL's path on each instance.
  const path = new URL(mcp.url).pathname
  for (const instance of cluster.instances) {
    const client = new Client({ name: "switchboard-cluster", version: "1.0.0" })
    await client.connect(new StreamableHTTPClientTransport(new URL(`${instance.baseUrl}${path}`), {
      requestInit: { headers: { authorization: `Bearer ${mcp.token}` } }
    }))
    clients.push(client)
  }
  assert.isAbove(linear.expireAll(), 0)
  const before = linear.refreshes().length
  const answers = await Promise.all(Array.from({ length: TOOL_CALLS }, (_, n) =>
    clients[n % clients.length]!.callTool({ name: "mcp_linear_get_issue", arguments: { issueId: issue.id } })
  ))
  for (const answer of answers) {
    const decoded = Schema.decodeUnknownSync(ToolText)(answer)
    assert.notStrictEqual(decoded.isError, true, decoded.content.map((part) => part.text).join(" "))
  }
  const refreshes = linear.refreshes().slice(before)
  assert.deepEqual(refreshes.map((request) => request.status), [200], "exactly one refresh, and it succeeded")
}, 60_000)

it("failed authentications across the instances count against one allowance", async () => {
  const get = (n: number, key: string) =>
    fetch(`${cluster.instances[n % INSTANCES]!.baseUrl}/v1/installations`, { headers: { authorization: `Bearer ${key}` } })
      .then(async (response) => (await response.arrayBuffer(), response.status))
  const statuses: Array<number> = []
  for (let n = 0; n < 45; n++) statuses.push(await get(n, `sbk_wrong${randomUUID().replaceAll("-", "")}`))
  // SWITCHBOARD_AUTH_FAILURES_PER_MINUTE's default, 30, for all three together: counted per
  // process, each instance would have allowed 30 and answered 401 to all 45.
  assert.deepStrictEqual(statuses, [...Array(30).fill(401), ...Array(15).fill(429)])
  for (let n = 0; n < INSTANCES; n++) assert.strictEqual(await get(n, tenantKey), 200, `the tenant's key on instance ${n}`)
})

it("webhooks spread across the instances, one SIGKILLed mid-load: every ack dispatched, duplicates only from what was in flight", async () => {
  const linear = cluster.fakes.linear
  const issues = Array.from({ length: WEBHOOKS }, (_, n) => linear.control.seedIssue({ title: `Cluster load ${n}` }))
  const victim = cluster.instances[INSTANCES - 1]!
  const acked = new Set<string>()
  let killedAt: number | undefined
  let retried = 0
  let next = 0

  // Round robin over the instances; one that does not answer is tried again on the next live
  // one under the same delivery id, as a vendor retries (behind a load balancer, in effect).
  const deliver = async (n: number, issue: FakeIssue, deliveryId: string) => {
    for (let attempt = 0; attempt < INSTANCES * 3; attempt++) {
      const instance = cluster.instances[(n + attempt) % INSTANCES]!
      if (!instance.alive() && attempt > 0) continue
      const status = await sendTo(instance.baseUrl, issue, deliveryId)
      if (status === 200) {
        acked.add(deliveryId)
        return
      }
      retried++
    }
    assert.fail(`webhook ${deliveryId} was never acknowledged`)
  }
  const loop = async () => {
    while (next < WEBHOOKS) {
      const n = next++
      await deliver(n, issues[n]!, randomUUID())
      if (killedAt === undefined && acked.size >= KILL_AFTER_ACKS) {
        killedAt = Date.now()
        victim.kill()
      }
    }
  }
  const arrivalsBefore = sink.arrivals.length
  await Promise.all(Array.from({ length: LOOPS }, loop))
  assert.isDefined(killedAt, `the load finished (${acked.size} acks) before the kill`)
  const killAt = killedAt!
  const arrivals = () => sink.arrivals.slice(arrivalsBefore)
  const inFlight = new Set(
    arrivals().filter((arrival) =>
      arrival.at <= killAt && (arrival.answeredAt === undefined || arrival.answeredAt >= killAt - RECORDING_WINDOW_MS)
    ).map((arrival) => arrival.key)
  )

  const delivered = () => new Set(arrivals().filter((arrival) => arrival.status === 200).map((arrival) => arrival.deliveryId))
  const missing = () => [...acked].filter((deliveryId) => !delivered().has(deliveryId))
  await sink.until(() => missing().length === 0, 60_000, () => `${missing().length} of ${acked.size} acked webhooks undelivered`)

  const perKey = new Map<string, number>()
  for (const arrival of arrivals()) perKey.set(arrival.key, (perKey.get(arrival.key) ?? 0) + 1)
  const duplicates = [...perKey.values()].reduce((sum, count) => sum + count - 1, 0)
  const summary = `multi-instance: ${INSTANCES} Bun instances on one Postgres, ${WEBHOOKS} webhooks from ${LOOPS} loops, ` +
    `one instance SIGKILLed after ${KILL_AFTER_ACKS} acks (${retried} sends retried on another); ${acked.size} acked, ` +
    `all dispatched; ${arrivals().length} sink arrivals for ${perKey.size} keys, ${duplicates} duplicates, ` +
    `${inFlight.size} in flight at the kill`
  writeSummary("multi-instance", summary)
  assert.strictEqual(acked.size, WEBHOOKS, summary)
  assert.isAtMost(duplicates, inFlight.size, summary)
}, 150_000)
