/**
 * Acceptance 4: Linear's access tokens expire and each refresh rotates the refresh token, so
 * 20 concurrent tool calls on an expired token must cause exactly one refresh, and all 20
 * succeed: whether the expiry is known ahead (the stored expiry is near) or only discovered
 * when Linear answers AUTHENTICATION_ERROR. A grant Linear no longer honours (`invalid_grant`)
 * revokes the installation and pauses its publications; nothing is dispatched afterwards.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import type { FakeIssue } from "../../../sandbox/fakes/linear/FakeLinearState.ts"
import { issueAssigned } from "../../../sandbox/fakes/linear/payloads.ts"
import { call, deliveryOf, failed, ignoredWith, issueFixture, type LinearWorld, send, sessionCreated, startWorld } from "./routeKit.ts"

const CONCURRENT_CALLS = 20

/** A delivery (and its MCP client) from an assignment, which itself uses no Linear token. */
const agentFor = async (world: LinearWorld, issue: FakeIssue, deliveryId: string): Promise<Client> => {
  await send(world, issueAssigned({ issue: issueFixture(issue) }), deliveryId)
  return world.kernel.mcpClient(await deliveryOf(world, deliveryId))
}

const concurrentGets = async (client: Client, issue: FakeIssue) => {
  const answers = await Promise.all(
    Array.from({ length: CONCURRENT_CALLS }, () => call(client, "get_issue", { issueId: issue.id }))
  )
  for (const answer of answers) {
    expect(answer.isError, answer.content.map((part) => part.text).join(" ")).not.toBe(true)
    expect(answer.structuredContent).toMatchObject({ id: issue.id })
  }
}

describe("20 concurrent tool calls on an expired token", () => {
  let world: LinearWorld
  const clients: Array<Client> = []

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()))
    await world.kernel.close()
  })

  it("when Linear rejects it (AUTHENTICATION_ERROR): one refresh, 20 successes", async () => {
    world = await startWorld()
    const { control } = world.kernel.linear
    const issue = control.seedIssue({ title: "Token expired at Linear" })
    const client = await agentFor(world, issue, "refresh-401")
    clients.push(client)
    expect(control.expireAll()).toBeGreaterThan(0)
    const before = control.refreshes().length
    await concurrentGets(client, issue)
    expect(control.refreshes().slice(before)).toEqual([expect.objectContaining({ status: 200 })])
    const rejected = control.graphqlCalls().filter((entry) => entry.status === 401)
    expect(rejected.length).toBeGreaterThan(0)
    expect(rejected.length).toBeLessThanOrEqual(CONCURRENT_CALLS)
  })

  it("when the stored expiry is near (refresh ahead): one refresh, 20 successes, no rejected call", async () => {
    world = await startWorld()
    const { control } = world.kernel.linear
    // A fresh install whose access token has 30 s left, inside the kernel's one-minute margin.
    const { apiKey } = await world.kernel.createTenant("initech")
    control.setAccessTokenTtl(30)
    const installationId = await world.kernel.installLinear(apiKey)
    control.setAccessTokenTtl(86_399)
    const publication = await world.kernel.publish(apiKey, {
      installationId,
      agentId: "agent-2",
      scopes: ["issues:read"],
      granularity: "issue"
    })
    const issue = control.seedIssue({ title: "Token about to expire" })
    await send(world, issueAssigned({ issue: issueFixture(issue) }), "refresh-ahead")
    const delivery = await world.kernel.eventually(() =>
      world.kernel.deliveries.find((entry) => entry.dispatch.deliveryId === "refresh-ahead" && entry.dispatch.publicationId === publication.id)
    )
    const client = await world.kernel.mcpClient(delivery)
    clients.push(client)
    const before = control.refreshes().length
    const callsBefore = control.graphqlCalls().length
    await concurrentGets(client, issue)
    expect(control.refreshes().slice(before)).toEqual([expect.objectContaining({ status: 200 })])
    expect(control.graphqlCalls().slice(callsBefore).filter((entry) => entry.status === 401)).toEqual([])
  })
})

describe("a grant Linear no longer honours", () => {
  let world: LinearWorld

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(() => world.kernel.close())

  it("invalid_grant on refresh revokes the installation and pauses its publications; later events are ignored", async () => {
    const { control } = world.kernel.linear
    const issue = control.seedIssue({ title: "Before the app was removed" })
    const client = await agentFor(world, issue, "grant-1")
    expect(control.revokeAll()).toBeGreaterThan(0)
    const refused = await failed(client, "get_issue", { issueId: issue.id })
    expect(refused.reason).toBe("Unauthorized")
    expect(refused.message).toContain("invalid_grant")
    expect(control.refreshes().at(-1)).toMatchObject({ status: 400 })
    await client.close()

    const installations = await (await world.kernel.request("/v1/installations", { apiKey: world.apiKey })).json()
    expect(installations.installations[0]).toMatchObject({ id: world.installationId, status: "revoked" })
    const publications = await (await world.kernel.request("/v1/publications", { apiKey: world.apiKey })).json()
    expect(publications.publications[0]).toMatchObject({ id: world.publicationId, status: "paused" })

    const { payload, session } = sessionCreated(world.kernel, issue)
    await send(world, payload, "grant-2")
    await ignoredWith(world, "grant-2", "installation is revoked")
    expect(control.activities(session.id)).toEqual([])
    const refreshes = control.refreshes().length
    const again = await world.kernel.mcpClient(await deliveryOf(world, "grant-1"))
    expect((await failed(again, "get_issue", { issueId: issue.id })).reason).toBe("InstallationRevoked")
    await again.close()
    expect(control.refreshes().length).toBe(refreshes)
  })
})
