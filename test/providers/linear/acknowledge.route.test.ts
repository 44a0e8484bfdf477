/**
 * Acceptance 2: Linear shows an agent as unresponsive unless its first activity arrives within
 * 10 seconds of an agent session's `created` event. The kernel posts the provider's `thought`
 * right after storing the event, apart from the dispatch, so a session sink that takes 30
 * seconds to answer does not delay it. It is posted once per delivery, even when two tenants
 * installed the same workspace, and not at all when no publication takes the event.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { SessionDelivery } from "../../../kernel/domain/SessionDispatch.ts"
import { issueAssigned } from "../../../sandbox/fakes/linear/payloads.ts"
import { decided, issueFixture, type LinearWorld, send, sessionCreated, sleep, startWorld } from "./routeKit.ts"

const SLOW_SINK_MS = 30_000
const LINEAR_DEADLINE_MS = 10_000

/** A sink that takes 30 s per delivery, releasable so the test does not leave timers behind. */
const slowSink = () => {
  const started: Array<{ readonly delivery: SessionDelivery; readonly at: number }> = []
  const answered: Array<SessionDelivery> = []
  const pending = new Set<() => void>()
  const sink = (delivery: SessionDelivery) =>
    new Promise<void>((resolve) => {
      started.push({ delivery, at: Date.now() })
      const done = () => {
        clearTimeout(timer)
        pending.delete(done)
        answered.push(delivery)
        resolve()
      }
      const timer = setTimeout(done, SLOW_SINK_MS)
      pending.add(done)
    })
  return { sink, started, answered, release: () => [...pending].forEach((done) => done()) }
}

describe("the first thought activity", () => {
  let world: LinearWorld
  const slow = slowSink()

  beforeAll(async () => {
    world = await startWorld()
    world.kernel.sink = slow.sink
  })
  afterAll(async () => {
    slow.release()
    await world.kernel.close()
  })

  it("reaches Linear within 10 s of the webhook while the session sink takes 30 s", async () => {
    const issue = world.kernel.linear.control.seedIssue({ title: "Checkout fails on Safari" })
    const { payload, session } = sessionCreated(world.kernel, issue)
    const sentAt = Date.now()
    await send(world, payload, "ack-slow-1")
    const thought = await world.kernel.eventually(() => world.kernel.linear.control.activities(session.id)[0], LINEAR_DEADLINE_MS)
    expect(thought.receivedAt - sentAt).toBeLessThan(LINEAR_DEADLINE_MS)
    expect(thought.content).toEqual({ type: "thought", body: `Request received; starting work on ${issue.identifier}.` })
    expect(thought.userId).toBe(world.kernel.linear.control.appUser.id)
    // The dispatch is under way, and the sink has not answered: the thought did not wait for it.
    const start = await world.kernel.eventually(() => slow.started.find((entry) => entry.delivery.dispatch.deliveryId === "ack-slow-1"))
    expect(start.delivery.dispatch.context).toMatchObject({ agentSessionId: session.id })
    expect(slow.answered).toEqual([])
    expect(world.kernel.linear.control.state.agentSessions.get(session.id)?.status).toBe("active")
  })

  it("is not posted for events that are not a new agent session", async () => {
    const issue = world.kernel.linear.control.seedIssue({ title: "Assigned the classic way" })
    const before = world.kernel.linear.control.activities().length
    await send(world, issueAssigned({ issue: issueFixture(issue) }), "ack-none-1")
    await world.kernel.eventually(() => slow.started.find((entry) => entry.delivery.dispatch.deliveryId === "ack-none-1"))
    await sleep(200)
    expect(world.kernel.linear.control.activities().length).toBe(before)
  })
})

describe("one acknowledgement per delivery", () => {
  let world: LinearWorld

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(() => world.kernel.close())

  it("two tenants that installed the same workspace post one thought between them", async () => {
    const other = await world.kernel.createTenant("globex")
    const otherInstallation = await world.kernel.installLinear(other.apiKey)
    await world.kernel.publish(other.apiKey, {
      installationId: otherInstallation,
      agentId: "agent-b",
      scopes: ["issues:read"],
      granularity: "issue"
    })
    const issue = world.kernel.linear.control.seedIssue({ title: "Shared workspace" })
    const { payload, session } = sessionCreated(world.kernel, issue)
    await send(world, payload, "ack-shared-1")
    await world.kernel.eventually(() =>
      world.kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === "ack-shared-1").length === 2
    )
    // Both tenants tried; the second try found the first one's activity.
    await world.kernel.eventually(() =>
      world.kernel.linear.control.graphqlCalls().filter((entry) => entry.operationName === "CreateAgentActivity").length >= 2 &&
      world.kernel.linear.control.graphqlCalls().some((entry) => entry.operationName === "AgentActivityExists")
    )
    expect(world.kernel.linear.control.activities(session.id)).toHaveLength(1)
  })
})

describe("no acknowledgement without a taker", () => {
  let world: LinearWorld

  beforeAll(async () => {
    world = await startWorld({ filters: { team: ["OPS"] } })
  })
  afterAll(() => world.kernel.close())

  it("an agent session no publication takes gets no thought, and is ignored with the reason", async () => {
    const issue = world.kernel.linear.control.seedIssue({ title: "Engineering issue" })
    const { payload, session } = sessionCreated(world.kernel, issue)
    await send(world, payload, "ack-filtered-1")
    const row = await decided(world, "ack-filtered-1")
    expect(row.event.status).toBe("ignored")
    expect(row.event.reason).toContain("outside this publication's team filter")
    await sleep(200)
    expect(world.kernel.linear.control.activities(session.id)).toEqual([])
  })
})
