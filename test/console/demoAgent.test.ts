/**
 * The demo agent (`adapters/sink/DemoAgentSink.ts`) on its own: what it does with a delivery it
 * cannot act on. A tool the publication's scopes leave out fails the delivery with the tool's
 * message and no retry (the Console shows it, "replay" tries again); an unreachable MCP endpoint
 * is retried; a stop, or a provider without a plan, succeeds without touching MCP.
 */
import { Cause, Effect, Exit } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as DemoAgentSink from "../../adapters/sink/DemoAgentSink.ts"
import type { SinkError } from "../../kernel/domain/Errors.ts"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { linearSandbox } from "../../sandbox/dev/LinearSandbox.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

const failureOf = (exit: Exit.Exit<void, SinkError>): SinkError | undefined =>
  Exit.isFailure(exit) ? Cause.findErrorOption(exit.cause).pipe((option) => option._tag === "Some" ? option.value : undefined) : undefined

describe("DemoAgentSink", () => {
  let kernel: TestKernel
  let delivery: SessionDelivery
  const mcpRequests: Array<string> = []
  beforeAll(async () => {
    kernel = await startTestKernel()
    const { apiKey } = await kernel.createTenant("demo")
    const installationId = await kernel.installLinear(apiKey)
    // Reading is allowed, commenting is not.
    await kernel.publish(apiKey, { installationId, agentId: "agent-read-only", scopes: ["issues:read"], granularity: "issue" })
    const issue = kernel.linear.control.seedIssue({ title: "Read-only" })
    await kernel.linearWebhook(agentSessionCreated({ issue: { id: issue.id, identifier: issue.identifier } }))
    delivery = await kernel.eventually(() => kernel.deliveries[0])
  })
  afterAll(() => kernel.close())

  const agent = (fetch?: DemoAgentSink.DemoAgentOptions["fetch"]) =>
    DemoAgentSink.make({
      plans: { linear: linearSandbox.demo },
      fetch: fetch ?? ((input, init) => {
        mcpRequests.push(new Request(input, init).headers.get("switchboard-correlation-id") ?? "")
        return kernel.app.fetch(new Request(input, init))
      }),
      timeout: "10 seconds"
    })

  it("fails the delivery with the tool's error when a scope is missing, without retrying", async () => {
    const error = failureOf(await Effect.runPromiseExit(agent().deliver(delivery)))
    expect(error?.reason).toBe("Rejected")
    expect(error?.retryable).toBe(false)
    expect(error?.message).toContain("mcp_linear_create_comment")
    expect(error?.message).toContain("OutOfScope")
    // It read first, and every MCP request carried the correlation id.
    expect(mcpRequests.length).toBeGreaterThan(0)
    expect(new Set(mcpRequests)).toEqual(new Set([delivery.dispatch.deliveryId]))
  })

  it("asks the outbox to retry when the MCP endpoint cannot be reached", async () => {
    const unreachable = agent(() => Promise.reject(new Error("connection refused")))
    const error = failureOf(await Effect.runPromiseExit(unreachable.deliver(delivery)))
    expect(error?.reason).toBe("Unreachable")
    expect(error?.retryable).toBe(true)
  })

  it("does nothing for a stop, or for a provider it has no plan for", async () => {
    const never = agent(() => Promise.reject(new Error("must not be called")))
    const stop = { ...delivery, dispatch: { ...delivery.dispatch, stop: true } }
    expect(Exit.isSuccess(await Effect.runPromiseExit(never.deliver(stop)))).toBe(true)
    const planless = DemoAgentSink.make({ plans: {}, fetch: () => Promise.reject(new Error("must not be called")) })
    expect(Exit.isSuccess(await Effect.runPromiseExit(planless.deliver(delivery)))).toBe(true)
  })
})
