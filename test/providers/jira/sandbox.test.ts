/**
 * Jira's sandbox adapter, the loop `npm run dev` runs offline: the fake made by the adapter,
 * the provider pointed at it by the adapter's env, an OAuth install through the fake's consent,
 * a simulated assignment (a fresh issue in the fake, signed like Jira), the demo agent's two
 * steps through MCP (`get_issue`, then `add_comment`), its comment visible as activity, and the
 * fake's state surviving a snapshot and restore.
 */
import { Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as JiraProvider from "../../../providers/jira/JiraProvider.ts"
import { jiraSandbox } from "../../../sandbox/dev/JiraSandbox.ts"
import type { SandboxFake } from "../../../sandbox/dev/Sandbox.ts"
import { installByOAuth } from "../../../sandbox/kit/KitInstall.ts"
import { callTool } from "../../../sandbox/kit/KitKernelReads.ts"
import { PUBLIC_URL, startTestKernel, type TestKernel } from "../../support/kernel.ts"
import { type Served, serve } from "../../support/serve.ts"
import { ALL_SCOPES } from "./world.ts"

describe("Jira in the sandbox", () => {
  let fake: SandboxFake
  let server: Served
  let kernel: TestKernel
  let env: Record<string, string>
  let apiKey: string

  beforeAll(async () => {
    const secrets = jiraSandbox.generateSecrets()
    fake = jiraSandbox.makeFake({ publicUrl: PUBLIC_URL, env: secrets })
    server = await serve(fake.handler)
    env = { ...secrets, ...jiraSandbox.env(server.url) }
    kernel = await startTestKernel({ providers: [JiraProvider.make], env })
    apiKey = (await kernel.createTenant("sandbox")).apiKey
    await fetch(`${server.url}/_fake/auto-approve`, { method: "POST", body: JSON.stringify({ on: true }) })
    await installByOAuth({ kernel, fake, fakeUrl: server.url, apiKey }, "jira")
    const listed = Schema.decodeUnknownSync(Schema.Struct({ installations: Schema.Array(Schema.Struct({ id: Schema.String })) }))(
      await (await kernel.request("/v1/installations", { apiKey })).json()
    )
    await kernel.publish(apiKey, { installationId: listed.installations[0]?.id, agentId: "demo-agent", scopes: ALL_SCOPES, granularity: "issue" })
  })
  afterAll(async () => {
    await kernel.close()
    await server.close()
  })

  it("simulates an assignment the demo agent reads and answers, and shows its comment as activity", async () => {
    expect(jiraSandbox.events.map((event) => event.name)).toEqual(["assigned", "mention"])
    const simulated = await jiraSandbox.events[0]!.build({ env, fakeUrl: server.url })
    expect(simulated.subject?.label).toMatch(/^ENG-\d+$/)
    const response = await kernel.request(simulated.path, { method: "POST", headers: simulated.headers, body: simulated.body })
    expect(response.status, await response.clone().text()).toBe(200)
    const delivery = await kernel.eventually(() => kernel.deliveries.find((candidate) => candidate.dispatch.deliveryId === simulated.deliveryId))
    const client = await kernel.mcpClient(delivery)
    try {
      const read = jiraSandbox.demo.read(delivery.dispatch)
      expect(read).toEqual({ tool: "mcp_jira_get_issue", arguments: { issue: simulated.subject?.id } })
      const answer = await callTool(client, read?.tool ?? "", read?.arguments ?? {})
      expect(answer.isError, answer.text).toBe(false)
      const write = jiraSandbox.demo.write(delivery.dispatch, answer.structured)
      expect(write?.tool).toBe("mcp_jira_add_comment")
      expect(String(write?.arguments["body"])).toContain("Checkout times out for EU customers")
      expect((await callTool(client, write?.tool ?? "", write?.arguments ?? {})).isError).toBe(false)
    } finally {
      await client.close()
    }
    const activity = await jiraSandbox.activity(server.url, simulated.subject?.id ?? "")
    expect(activity).toEqual([expect.objectContaining({ author: "Switchboard Agent", byAgent: true, body: expect.stringContaining("demo agent") })])
  })

  it("builds a mention, and fixed sample ids without a fake", async () => {
    const mention = await jiraSandbox.events[1]!.build({ env, fakeUrl: undefined })
    expect(mention).toMatchObject({ path: "/webhook/jira", subject: null, headers: { "x-hub-signature": expect.stringMatching(/^sha256=[0-9a-f]{64}$/) } })
    expect(mention.body).toContain("[~accountid:")
  })

  it("keeps the fake's issues, comments and tokens across a snapshot and restore", async () => {
    const again = jiraSandbox.makeFake({ publicUrl: PUBLIC_URL, env })
    await again.restore(fake.snapshot())
    const comments = Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ text: Schema.String })))(
      await (await again.handler(new Request("http://fake.test/_fake/comments"))).json()
    )
    expect(comments.some((comment) => comment.text.includes("demo agent"))).toBe(true)
    expect(fake.snapshot()).toContain("jira_rt_")
    expect(again.snapshot()).toBe(fake.snapshot())
  })
})
