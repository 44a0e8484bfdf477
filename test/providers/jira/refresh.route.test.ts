/**
 * Atlassian's rotating refresh tokens through the kernel: when Jira stops accepting the access
 * token, twenty concurrent tool calls refresh it once (each refresh token works once, so a second
 * concurrent refresh would kill the grant) and all succeed; the next refresh uses the rotated
 * token; a grant Atlassian no longer honours revokes the installation. A pasted installation has
 * nothing to refresh: a rejected API token is a tool error, and no token request is made.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { deliver, deliveryOf, failed, fixture, installations, type JiraWorld, ok, startWorld } from "./world.ts"
import { issueAssigned } from "../../../sandbox/fakes/jira/payloads.ts"

describe("Jira OAuth tokens through the kernel", () => {
  let world: JiraWorld

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(() => world.close())

  it("twenty concurrent calls on a rejected token refresh once, and all succeed; the next refresh uses the rotated token", async () => {
    const issue = world.jira.control.seedIssue({ summary: "Concurrent" })
    await deliver(world, issueAssigned({ site: world.server.url, issue: fixture(world, issue), to: world.jira.control.agent }), "refresh-1")
    const agent = await world.kernel.mcpClient(await deliveryOf(world, "refresh-1"))
    try {
      expect(world.jira.control.expireAll()).toBeGreaterThan(0)
      const answers = await Promise.all(Array.from({ length: 20 }, () => ok(agent, "get_issue", { issue: issue.key })))
      expect(answers.every((answer) => answer["key"] === issue.key)).toBe(true)
      expect(world.jira.control.refreshes()).toEqual([{ grantType: "refresh_token", status: 200 }])

      world.jira.control.expireAll()
      await ok(agent, "get_issue", { issue: issue.key })
      expect(world.jira.control.refreshes().map((request) => request.status)).toEqual([200, 200])
    } finally {
      await agent.close()
    }
  })

  it("a grant Atlassian no longer honours revokes the installation", async () => {
    const issue = world.jira.control.seedIssue({ summary: "Revoked" })
    await deliver(world, issueAssigned({ site: world.server.url, issue: fixture(world, issue), to: world.jira.control.agent }), "refresh-2")
    const agent = await world.kernel.mcpClient(await deliveryOf(world, "refresh-2"))
    try {
      world.jira.control.revokeAll()
      expect((await failed(agent, "get_issue", { issue: issue.key })).reason).toBe("Unauthorized")
      expect(world.jira.control.refreshes().at(-1)).toEqual({ grantType: "refresh_token", status: 403 })
      const [installation] = await installations(world.kernel, world.apiKey)
      expect(installation?.status).toBe("revoked")
    } finally {
      await agent.close()
    }
  })
})

describe("a pasted Jira installation", () => {
  let world: JiraWorld

  beforeAll(async () => {
    world = await startWorld({ install: "paste" })
  })
  afterAll(() => world.close())

  it("keeps its API token out of the metadata, and a rejected token is a tool error with no refresh", async () => {
    const [installation] = await installations(world.kernel, world.apiKey)
    expect(installation?.metadata).toEqual({
      authType: "basic",
      siteUrl: world.server.url,
      accountId: world.jira.control.agent.accountId,
      accountName: "Switchboard Agent"
    })
    expect(JSON.stringify(installation)).not.toContain(world.jira.control.apiToken)
    expect(JSON.stringify(installation)).not.toContain(world.jira.control.agent.emailAddress)
    const issue = world.jira.control.seedIssue()
    await deliver(world, issueAssigned({ site: world.server.url, issue: fixture(world, issue), to: world.jira.control.agent }), "paste-refresh")
    const agent = await world.kernel.mcpClient(await deliveryOf(world, "paste-refresh"))
    try {
      world.jira.control.state.apiTokens.set(world.jira.control.agent.emailAddress, "rotated-by-the-user")
      expect((await failed(agent, "get_issue", { issue: issue.key })).reason).toBe("Unauthorized")
      expect(world.jira.control.state.tokenRequests).toEqual([])
      expect((await installations(world.kernel, world.apiKey))[0]?.status).toBe("active")
    } finally {
      await agent.close()
    }
  })
})
