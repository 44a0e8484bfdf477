/**
 * Helpers for the Linear tests that go through the whole kernel (`test/support/kernel.ts`):
 * a tenant with Linear installed through the fake's OAuth and a publication, Linear-shaped
 * agent session payloads whose session also exists in the fake (as when Linear sends them),
 * and reading back what the kernel recorded for a delivery.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { expect } from "vitest"
import type { SessionDelivery } from "../../../kernel/domain/SessionDispatch.ts"
import type { FakeIssue } from "../../../sandbox/fakes/linear/FakeLinearState.ts"
import { agentSessionCreated, agentSessionPrompted, type PromptFixture } from "../../../sandbox/fakes/linear/payloads.ts"
import { startTestKernel, type TestKernel } from "../../support/kernel.ts"
import { toolCaller } from "../../support/mcpTools.ts"
import { decidedEvent } from "../../support/deliveries.ts"

export const ALL_SCOPES = [
  "issues:read",
  "issues:search",
  "issues:write",
  "comments:read",
  "comments:write",
  "labels:write",
  "teams:read",
  "activities:write"
] as const

export interface LinearWorld {
  readonly kernel: TestKernel
  readonly apiKey: string
  readonly installationId: string
  readonly publicationId: string
}

export const startWorld = async (publication: Record<string, unknown> = {}): Promise<LinearWorld> => {
  const kernel = await startTestKernel()
  const { apiKey } = await kernel.createTenant("acme")
  const installationId = await kernel.installLinear(apiKey)
  const { id } = await kernel.publish(apiKey, {
    installationId,
    agentId: "agent-1",
    scopes: [...ALL_SCOPES],
    granularity: "issue",
    ...publication
  })
  return { kernel, apiKey, installationId, publicationId: id }
}

export const issueFixture = (issue: FakeIssue) => ({
  id: issue.id,
  identifier: issue.identifier,
  title: issue.title,
  description: issue.description ?? "",
  teamId: issue.teamId,
  teamKey: "ENG"
})

/** An `AgentSessionEvent.created` for a session Linear really opened (it exists in the fake). */
export const sessionCreated = (kernel: TestKernel, issue: FakeIssue, prompt = "@switchboard please look at this") => {
  const session = kernel.linear.control.startAgentSession({ issueId: issue.id })
  const payload = agentSessionCreated({
    sessionId: session.id,
    issue: issueFixture(issue),
    commentBody: prompt,
    promptContext: `<issue identifier="${issue.identifier}"><title>${issue.title}</title></issue>\n${prompt}`
  })
  return { session, payload }
}

export const sessionPrompted = (issue: FakeIssue, sessionId: string, fixture: PromptFixture = {}) =>
  agentSessionPrompted({ sessionId, issue: issueFixture(issue), ...fixture })

export type { EventRow } from "../../support/deliveries.ts"

/** The stored event of a delivery, once the kernel has decided it. */
export const decided = (world: LinearWorld, deliveryId: string) => decidedEvent(world.kernel, world.apiKey, deliveryId)

export const ignoredWith = async (world: LinearWorld, deliveryId: string, reason: string): Promise<void> => {
  const row = await decided(world, deliveryId)
  expect(row.event.status).toBe("ignored")
  expect(row.event.reason).toContain(reason)
  expect(world.kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === deliveryId)).toEqual([])
}

export const deliveryOf = (world: LinearWorld, deliveryId: string): Promise<SessionDelivery> =>
  world.kernel.eventually(() => world.kernel.deliveries.find((delivery) => delivery.dispatch.deliveryId === deliveryId))

/** Sends a signed webhook through the real route and expects Linear's 200. */
export const send = async (world: LinearWorld, payload: Readonly<Record<string, unknown>>, deliveryId: string) => {
  const response = await world.kernel.linearWebhook(payload, { deliveryId })
  expect(response.status, await response.clone().text()).toBe(200)
  return response
}

export type { ToolAnswer } from "../../support/mcpTools.ts"
export const { call, ok, failed } = toolCaller("linear")

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
