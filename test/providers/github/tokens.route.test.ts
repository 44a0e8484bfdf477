/**
 * Acceptance 3, installation tokens: the install mints one token, and concurrent tool calls
 * share it (no mint per call); a token GitHub rejects as expired is replaced once, whatever the
 * number of calls that saw the 401; a token about to expire is replaced ahead, once, before any
 * call fails; an App uninstalled on GitHub ends the installation on the next mint.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { afterEach, describe, expect, it } from "vitest"
import * as Payloads from "../../../sandbox/fakes/github/payloads.ts"
import {
  call,
  createAppByManifest,
  deliver,
  deliveryOf,
  failed,
  type GitHubWorld,
  installApp,
  installations,
  sendTo,
  startWorld
} from "../../support/github.ts"

const CONCURRENT_CALLS = 20

const agentFor = async (world: GitHubWorld, deliveryId: string): Promise<{ readonly client: Client; readonly number: number }> => {
  const item = world.github.control.seedIssue("acme/widgets", { title: "Token test", body: `@${world.app.slug} go` })
  await deliver(world, Payloads.issues(world.where("ada"), "opened", item), deliveryId)
  return { client: await world.kernel.mcpClient(await deliveryOf(world, deliveryId)), number: item.number }
}

const concurrentGets = async (client: Client, number: number) => {
  const answers = await Promise.all(
    Array.from({ length: CONCURRENT_CALLS }, () => call(client, "get_issue", { repo: "acme/widgets", number }))
  )
  for (const answer of answers) {
    expect(answer.isError, answer.content.map((part) => part.text).join(" ")).not.toBe(true)
    expect(answer.structuredContent).toMatchObject({ number })
  }
}

const issueReads = (world: GitHubWorld) =>
  world.github.control.requests().filter((entry) => entry.method === "GET" && /^\/repos\/acme\/widgets\/issues\/\d+$/.test(entry.path))

describe("GitHub installation tokens", () => {
  let world: GitHubWorld
  const clients: Array<Client> = []

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()))
    await world.close()
  })

  it("20 concurrent tool calls share the one installation token the install minted", async () => {
    world = await startWorld()
    const { client, number } = await agentFor(world, "tok-share")
    clients.push(client)
    expect(world.github.control.mintedTokens(world.githubInstallationId)).toHaveLength(1)
    await concurrentGets(client, number)
    expect(world.github.control.mintedTokens(world.githubInstallationId)).toHaveLength(1)
    expect(issueReads(world)).toHaveLength(CONCURRENT_CALLS)
    expect(issueReads(world).every((entry) => entry.status === 200 && entry.auth === `installation:${world.githubInstallationId}`)).toBe(true)
  })

  it("an expired token GitHub rejects is replaced once, and all 20 calls succeed", async () => {
    world = await startWorld()
    const { client, number } = await agentFor(world, "tok-expired")
    clients.push(client)
    expect(world.github.control.expireTokens()).toBe(1)
    await concurrentGets(client, number)
    expect(world.github.control.mintedTokens(world.githubInstallationId)).toHaveLength(2)
    const rejected = world.github.control.requests().filter((entry) => entry.status === 401)
    expect(rejected.length).toBeGreaterThan(0)
    expect(rejected.length).toBeLessThanOrEqual(CONCURRENT_CALLS)
    const mints = world.github.control.requests().filter((entry) => entry.path.endsWith("/access_tokens"))
    expect(mints.map((entry) => entry.status)).toEqual([201, 201])
  })

  it("a token about to expire is replaced ahead, once, with no call rejected", async () => {
    world = await startWorld()
    const { apiKey } = await world.kernel.createTenant("initech")
    // A second tenant's app whose tokens live 30 s: inside the kernel's one-minute margin.
    world.github.control.setTokenTtl(30)
    await world.github.control.seedRepo("initech/tps")
    const second = await createAppByManifest(world, apiKey, "Initech Agent")
    expect((await installApp(world, second.installPath, { account: "initech" })).status).toBe(200)
    world.github.control.setTokenTtl(3600)
    const [installation] = await installations(world.kernel, apiKey)
    const publication = await world.kernel.publish(apiKey, {
      installationId: installation?.id,
      agentId: "agent-2",
      scopes: ["issues:read"],
      granularity: "issue"
    })
    const item = world.github.control.seedIssue("initech/tps", { title: "Cover sheets", body: `@${second.app.slug} fix` })
    const where = { state: world.github.control.state, repo: world.github.control.repo("initech/tps"), installationId: Number(installation?.externalAccountId), sender: "bill" }
    const delivered = await sendTo(world.kernel, second, Payloads.issues(where, "opened", item), { deliveryId: "tok-ahead" })
    expect(delivered.status).toBe(200)
    const delivery = await world.kernel.eventually(() =>
      world.kernel.deliveries.find((entry) => entry.dispatch.deliveryId === "tok-ahead" && entry.dispatch.publicationId === publication.id)
    )
    const client = await world.kernel.mcpClient(delivery)
    clients.push(client)
    const before = world.github.control.requests().length
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT_CALLS }, () => call(client, "get_issue", { repo: "initech/tps", number: item.number }))
    )
    expect(answers.every((answer) => answer.isError !== true)).toBe(true)
    const since = world.github.control.requests().slice(before)
    expect(since.filter((entry) => entry.path.endsWith("/access_tokens")).map((entry) => entry.status)).toEqual([201])
    expect(since.filter((entry) => entry.status === 401)).toEqual([])
    expect(world.github.control.mintedTokens(Number(installation?.externalAccountId))).toHaveLength(2)
  })

  it("an App uninstalled on GitHub ends the installation when its token can no longer be minted", async () => {
    world = await startWorld()
    const { client, number } = await agentFor(world, "tok-gone")
    clients.push(client)
    world.github.control.uninstall(world.githubInstallationId)
    const gone = await failed(client, "get_issue", { repo: "acme/widgets", number })
    expect(gone.reason).toBe("Unauthorized")
    expect(gone.message).toMatch(/no longer installed/)
    expect((await installations(world.kernel, world.apiKey))[0]?.status).toBe("revoked")
    expect((await failed(client, "get_issue", { repo: "acme/widgets", number })).reason).toBe("InstallationRevoked")
  })
})
