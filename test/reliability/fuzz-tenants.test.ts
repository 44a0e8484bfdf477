/**
 * Acceptance 5, two tenants: random interleavings of tenant A's and tenant B's operations
 * (webhooks to either workspace, reading, fetching and replaying deliveries, listing and
 * changing installations and publications, tool calls with each tenant's session tokens, from
 * its own minted token and from the dispatches it received), each aimed at its own rows or the
 * other tenant's. No answer may show the other tenant's rows, no change may reach them, every
 * tool call must use only its own tenant's vendor tokens, and every dispatch goes to the tenant
 * whose workspace sent the webhook.
 */
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { callTool, linearDelivery, SCOPES, sendSigned, startTwoTenants, type Tenant, type TwoTenants, writeSummary } from "./fuzzTenants.ts"

const KINDS = [
  "webhook",
  "listDeliveries",
  "getDelivery",
  "replay",
  "listInstallations",
  "uninstall",
  "listPublications",
  "createPublication",
  "updatePublication",
  "deletePublication",
  "toolCall",
  "toolCallFromDispatch"
] as const
type Kind = typeof KINDS[number]

interface Operation {
  readonly actor: "A" | "B"
  readonly kind: Kind
  /** Whose rows the operation aims at. */
  readonly target: "own" | "other"
}

interface Known {
  readonly eventIds: Set<string>
  readonly publicationIds: Set<string>
}

describe("two tenants, random interleavings", () => {
  let world: TwoTenants
  const counted = { operations: 0, crossAttempts: 0, refused: 0, toolCalls: 0 }
  /** The workspace each delivery was sent to, by delivery id. */
  const sentTo = new Map<string, string>()

  beforeAll(async () => {
    world = await startTwoTenants()
  })
  afterAll(() => world.kernel.close())

  it("never lets one tenant read or use the other's rows", async () => {
    const { kernel, a, b } = world
    const tenants = { A: a, B: b }
    const known: Record<"A" | "B", Known> = {
      A: { eventIds: new Set(), publicationIds: new Set([a.publicationId]) },
      B: { eventIds: new Set(), publicationIds: new Set([b.publicationId]) }
    }
    const api = async (tenant: Tenant, path: string, init: RequestInit = {}) => {
      const response = await kernel.request(path, { ...init, apiKey: tenant.apiKey })
      const text = await response.text()
      return { status: response.status, text, json: () => JSON.parse(text) }
    }
    const leaks = (text: string, other: Tenant) => {
      const otherIds = [other.tenantId, other.installationId, ...known[other.name].publicationIds, ...known[other.name].eventIds]
      return otherIds.filter((id) => text.includes(id))
    }
    const pick = <A>(values: ReadonlyArray<A>, seed: number): A | undefined => values[seed % Math.max(1, values.length)]

    const run = async ({ actor, kind, target }: Operation, seed: number) => {
      const self = tenants[actor]
      const other = tenants[actor === "A" ? "B" : "A"]
      const aimed = target === "own" ? self : other
      const cross = target === "other"
      counted.operations++
      if (cross && kind !== "webhook" && kind !== "toolCall" && kind !== "toolCallFromDispatch") counted.crossAttempts++
      const context = `${actor} ${kind} aimed at ${target}`
      switch (kind) {
        case "webhook": {
          // Sent by the aimed tenant's workspace: it belongs to that tenant, whoever's turn it is.
          const signed = await linearDelivery(kernel, aimed.organizationId, { issueId: aimed.issueId })
          sentTo.set(signed.deliveryId, aimed.organizationId)
          expect((await sendSigned(kernel, signed)).status, context).toBe(200)
          return
        }
        case "listDeliveries": {
          const listed = await api(self, "/v1/deliveries?limit=200")
          expect(listed.status, context).toBe(200)
          const deliveries: Array<{ event: { id: string; tenantId: string; deliveryId: string } }> = listed.json().deliveries
          for (const { event } of deliveries) {
            expect(event.tenantId, context).toBe(self.tenantId)
            const workspace = sentTo.get(event.deliveryId)
            if (workspace !== undefined) expect(workspace, `${context}: ${event.deliveryId}`).toBe(self.organizationId)
            known[actor].eventIds.add(event.id)
          }
          expect(leaks(listed.text, other), context).toEqual([])
          return
        }
        case "getDelivery":
        case "replay": {
          const eventId = pick([...known[aimed.name].eventIds], seed)
          if (eventId === undefined) return
          const response = kind === "getDelivery"
            ? await api(self, `/v1/deliveries/${eventId}`)
            : await api(self, `/v1/deliveries/${eventId}/replay`, { method: "POST" })
          expect(response.status, context).toBe(cross ? 404 : kind === "getDelivery" ? 200 : 202)
          if (cross) counted.refused++
          expect(leaks(response.text, other), context).toEqual([])
          return
        }
        case "listInstallations": {
          const listed = await api(self, "/v1/installations")
          expect(listed.status, context).toBe(200)
          expect(listed.json().installations.map((installation: { id: string }) => installation.id), context).toEqual([self.installationId])
          expect(leaks(listed.text, other), context).toEqual([])
          return
        }
        case "uninstall": {
          // Only ever aimed at the other tenant: uninstalling one's own would end the run's tool calls.
          const response = await api(self, `/v1/installations/${other.installationId}`, { method: "DELETE" })
          expect(response.status, context).toBe(404)
          counted.refused++
          const still = await api(other, "/v1/installations")
          expect(still.json().installations, context).toMatchObject([{ id: other.installationId, status: "active" }])
          return
        }
        case "listPublications": {
          const listed = await api(self, "/v1/publications")
          expect(listed.status, context).toBe(200)
          for (const publication of listed.json().publications as Array<{ id: string; installationId: string }>) {
            expect(publication.installationId, context).toBe(self.installationId)
            expect(known[actor].publicationIds.has(publication.id), `${context}: ${publication.id}`).toBe(true)
          }
          expect(leaks(listed.text, other), context).toEqual([])
          return
        }
        case "createPublication": {
          const agentId = `agent-${actor}-${seed}`
          const response = await api(self, "/v1/publications", {
            method: "POST",
            body: JSON.stringify({ installationId: aimed.installationId, agentId, scopes: SCOPES, granularity: "issue" })
          })
          if (cross) {
            expect(response.status, context).toBeGreaterThanOrEqual(400)
            expect(response.status, context).toBeLessThan(500)
            counted.refused++
            expect((await api(other, "/v1/publications")).text, context).not.toContain(agentId)
          } else {
            expect([201, 409], context).toContain(response.status)
            if (response.status === 201) known[actor].publicationIds.add(response.json().publication.id)
          }
          return
        }
        case "updatePublication":
        case "deletePublication": {
          // Aimed at one's own, these would pause the agent the other operations rely on: only the other's.
          const publicationId = pick([...known[other.name].publicationIds], seed)!
          const before = (await api(other, "/v1/publications")).json()
          const response = kind === "updatePublication"
            ? await api(self, `/v1/publications/${publicationId}`, { method: "PATCH", body: JSON.stringify({ status: "paused", scopes: ["issues:read"] }) })
            : await api(self, `/v1/publications/${publicationId}`, { method: "DELETE" })
          expect(response.status, context).toBe(404)
          counted.refused++
          expect((await api(other, "/v1/publications")).json(), context).toEqual(before)
          return
        }
        case "toolCall":
        case "toolCallFromDispatch": {
          const fromDispatch = kind === "toolCallFromDispatch"
            ? pick(kernel.deliveries.filter((delivery) => delivery.dispatch.tenantId === self.tenantId), seed)
            : undefined
          const token = fromDispatch?.mcp.token ?? self.sessionToken
          const callsBefore = kernel.linear.control.graphqlCalls().length
          // Either tenant's issue: the fake Linear is one world, so what matters is whose credentials the call uses.
          const result = await callTool(kernel, token, "mcp_linear_get_issue", { issueId: aimed.issueId })
          counted.toolCalls++
          expect(result.isError, `${context}: ${JSON.stringify(result.content)}`).not.toBe(true)
          // The tool's own query; acknowledgements of earlier webhooks may run beside it in the background.
          const used = kernel.linear.control.graphqlCalls().slice(callsBefore).filter((call) => call.operationName === "GetIssue").map((call) =>
            call.token
          )
          expect(used.length, context).toBeGreaterThan(0)
          for (const vendorToken of used) {
            expect(vendorToken !== null && self.vendorTokens.has(vendorToken), `${context}: a vendor token not issued to ${actor}`).toBe(true)
          }
          return
        }
      }
    }

    const operation: fc.Arbitrary<Operation> = fc.record({
      actor: fc.constantFrom("A" as const, "B" as const),
      kind: fc.constantFrom(...KINDS),
      target: fc.constantFrom("own" as const, "other" as const)
    }).map((op) =>
      op.kind === "uninstall" || op.kind === "updatePublication" || op.kind === "deletePublication" ? { ...op, target: "other" as const } : op
    )

    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(operation, fc.nat()), { minLength: 4, maxLength: 20 }), async (operations) => {
        for (const [op, seed] of operations) await run(op, seed)
      }),
      { numRuns: 50, endOnFailure: true }
    )

    // Every dispatch went to the tenant whose workspace sent the webhook, and to one of its publications.
    await kernel.app.drain()
    const byWorkspace = new Map([[a.organizationId, a], [b.organizationId, b]])
    const tracked = kernel.deliveries.filter((delivery) => sentTo.has(delivery.dispatch.deliveryId))
    const misrouted = tracked.filter((delivery) => {
      const owner = byWorkspace.get(sentTo.get(delivery.dispatch.deliveryId)!)!
      return delivery.dispatch.tenantId !== owner.tenantId || !known[owner.name].publicationIds.has(delivery.dispatch.publicationId)
    })
    const summary = `fuzz-tenants: injected ${counted.operations} operations (${sentTo.size} webhooks, ${counted.crossAttempts} aimed at the other tenant's rows, ` +
      `${counted.toolCalls} tool calls); counted ${counted.refused} refusals, ${tracked.length} dispatches, ${misrouted.length} misrouted`
    writeSummary("fuzz-tenants", summary)
    expect(tracked.length, summary).toBeGreaterThan(0)
    expect(misrouted.length, summary).toBe(0)
  })
})
