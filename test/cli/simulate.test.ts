/**
 * `switchboard simulate`: a signed sample webhook through the real webhook route, an issue made in
 * the fake first so the agent's tools find it, the delivery followed with the API key; and the
 * failures a user hits (wrong secret, nothing installed, instance down, unknown names).
 * Against the dev command it is driven by the Console test; against Workers by simulate-workers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PUBLIC_URL, startTestKernel, type TestKernel } from "../support/kernel.ts"
import { runCli, tempDir } from "./support.ts"

const folder = tempDir()
let kernel: TestKernel
let apiKey: string
beforeAll(async () => {
  kernel = await startTestKernel()
  apiKey = (await kernel.createTenant("simulated")).apiKey
})
afterAll(async () => {
  await kernel.close()
  folder.remove()
})

const inProcess = (input: string | URL, init?: RequestInit) => kernel.app.fetch(new Request(input, init))
const simulate = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  runCli(["simulate", ...args], { cwd: folder.path, env: { SWITCHBOARD_URL: PUBLIC_URL, ...env }, fetch: inProcess })

describe("switchboard simulate", () => {
  it("lists what can be simulated", async () => {
    const result = await simulate(["--list"])
    expect(result.code).toBe(0)
    expect(result.out).toEqual(expect.arrayContaining(["linear", expect.stringMatching(/^ {2}agent-session /)]))
  })

  it("explains that nothing is installed for the key's tenant yet", async () => {
    const result = await simulate(["linear", "--sandbox", kernel.linearServer.url, "--api-key", apiKey, "--secret", kernel.secrets.webhook])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("accepted AgentSessionEvent.created")
    expect(result.stderr).toContain("Install the provider first")
  })

  it("sends a signed event about a fresh issue and follows it to the agent", async () => {
    const installationId = await kernel.installLinear(apiKey)
    await kernel.publish(apiKey, { installationId, agentId: "agent-cli", scopes: ["issues:read"], granularity: "issue" })
    const before = kernel.deliveries.length
    const result = await simulate(["linear", "agent-session", "--sandbox", kernel.linearServer.url, "--api-key", apiKey], {
      LINEAR_WEBHOOK_SECRET: kernel.secrets.webhook
    })
    expect(result.stderr).toContain("Creating the sample in the Linear sandbox")
    expect(result.code, result.stderr).toBe(0)
    const deliveryId = result.out[0]
    expect(result.stderr).toMatch(/Delivery dispatched; dispatch to agent-cli delivered/)
    const delivered = kernel.deliveries.slice(before)
    expect(delivered.map((delivery) => delivery.dispatch.deliveryId)).toEqual([deliveryId])
    const issueId = delivered[0]!.dispatch.context["issueId"]
    expect(typeof issueId === "string" && kernel.linear.control.issue(issueId)?.title).toBeTruthy()
  })

  it("sends the other sample events", async () => {
    for (const event of ["assigned", "mention"]) {
      const result = await simulate(["linear", event, "--sandbox", kernel.linearServer.url, "--no-wait", "--secret", kernel.secrets.webhook])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toContain("Switchboard accepted")
    }
  })

  it("reports a signature the instance rejects, with what to check", async () => {
    const result = await simulate(["linear", "--no-sandbox", "--secret", "not-the-secret"])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("Switchboard answered 401 (BadSignature")
    expect(result.stderr).toContain("the secret must be the instance's webhook secret")
  })

  it("finds the secret in the dev command's data folder, and says so when there is none", async () => {
    const { mkdirSync, writeFileSync } = await import("node:fs")
    const { join } = await import("node:path")
    mkdirSync(join(folder.path, ".data"), { recursive: true })
    const none = await simulate(["linear", "--no-sandbox"])
    expect(none.code).toBe(1)
    expect(none.stderr).toContain("LINEAR_WEBHOOK_SECRET is not set")
    writeFileSync(join(folder.path, ".data", "dev.json"), JSON.stringify({ env: { LINEAR_WEBHOOK_SECRET: kernel.secrets.webhook } }))
    const found = await simulate(["linear", "--no-sandbox", "--no-wait"])
    expect(found.code, found.stderr).toBe(0)
  })

  it("refuses unknown providers and events, and an instance that is down", async () => {
    const provider = await simulate(["asana"])
    expect(provider.stderr).toMatch(/No sample events for "asana"; known: linear, slack/)
    const event = await simulate(["linear", "exploded"])
    expect(event.stderr).toContain('Linear has no sample event "exploded"; try: agent-session, assigned, mention')
    const down = await runCli(["simulate", "linear", "--url", "http://127.0.0.1:1", "--secret", "x", "--no-sandbox"], { cwd: folder.path })
    expect(down.code).toBe(1)
    expect(down.stderr).toContain("Cannot reach Switchboard at http://127.0.0.1:1")
  })
})
