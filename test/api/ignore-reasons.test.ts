/** An event that several publications refuse for the same reason records that reason once. */
import { Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

const Listed = Schema.Struct({ deliveries: Schema.Array(Schema.Struct({ event: Schema.Struct({ status: Schema.String, reason: Schema.NullOr(Schema.String) }) })) })

describe("ignore reasons", () => {
  let kernel: TestKernel
  beforeAll(async () => {
    kernel = await startTestKernel()
  })
  afterAll(() => kernel.close())

  it("says a reason shared by two publications once", async () => {
    const { apiKey } = await kernel.createTenant("reasons")
    kernel.linear.control.revokeAll()
    const installationId = await kernel.installLinear(apiKey)
    for (const agentId of ["agent-1", "agent-2"]) {
      await kernel.publish(apiKey, { installationId, agentId, scopes: ["issues:read"], granularity: "issue", filters: { team: ["NOPE"] } })
    }
    const issue = kernel.linear.control.seedIssue({ id: "issue-reasons", title: "Elsewhere" })
    expect((await kernel.linearWebhook(agentSessionCreated({ issue: { id: issue.id, identifier: issue.identifier } }))).status).toBe(200)
    const event = await kernel.eventually(async () => {
      const listed = Schema.decodeUnknownSync(Listed)(await (await kernel.request("/v1/deliveries", { apiKey })).json())
      return listed.deliveries.find((delivery) => delivery.event.status === "ignored")?.event
    })
    expect(event.reason).toMatch(/team filter/)
    expect(event.reason?.split("; ")).toHaveLength(1)
  })
})
