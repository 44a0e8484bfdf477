/**
 * Per-tenant limits: past its allowance a tenant's webhooks get 429 with `Retry-After` (and are
 * not stored) and its tool calls get a `RateLimited` tool error with the seconds to wait, while
 * the other tenant goes on as before. The bucket arithmetic is checked on a moved clock.
 */
import { it as effectIt } from "@effect/vitest"
import { Effect, Option, Result } from "effect"
import { TestClock } from "effect/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TenantLimits } from "../../kernel/KernelConfig.ts"
import { Limits } from "../../kernel/limits/Limits.ts"
import { LimitBucketStore } from "../../kernel/store/LimitBucketStore.ts"
import { bucketDatabase } from "../kernel/bucketDatabase.ts"
import { callTool, linearDelivery, sendSigned, startTwoTenants, type TwoTenants, writeSummary } from "./fuzzTenants.ts"

const WEBHOOKS_PER_MINUTE = 5
const TOOL_CALLS_PER_MINUTE = 4

describe("per-tenant limits", () => {
  let world: TwoTenants
  const counted = { webhooks429: 0, toolCallsLimited: 0, otherTenantPassed: 0 }

  beforeAll(async () => {
    world = await startTwoTenants({
      SWITCHBOARD_WEBHOOKS_PER_MINUTE: String(WEBHOOKS_PER_MINUTE),
      SWITCHBOARD_TOOL_CALLS_PER_MINUTE: String(TOOL_CALLS_PER_MINUTE)
    })
  })
  afterAll(async () => {
    writeSummary(
      "limits",
      `limits: injected ${WEBHOOKS_PER_MINUTE + 2} webhooks and ${TOOL_CALLS_PER_MINUTE + 2} tool calls for tenant A; ` +
        `counted ${counted.webhooks429} webhook 429s, ${counted.toolCallsLimited} limited tool calls, ` +
        `${counted.otherTenantPassed} of tenant B's requests passing`
    )
    await world.kernel.close()
  })

  it("answers a tenant's webhooks past the limit 429 with Retry-After, stores none of them, and lets the other tenant through", async () => {
    const { kernel, a, b } = world
    const statuses: Array<number> = []
    for (let index = 0; index < WEBHOOKS_PER_MINUTE; index++) {
      statuses.push((await sendSigned(kernel, await linearDelivery(kernel, a.organizationId))).status)
    }
    expect(statuses, `tenant A's first ${WEBHOOKS_PER_MINUTE} webhooks`).toEqual(Array(WEBHOOKS_PER_MINUTE).fill(200))

    const refusedIds: Array<string> = []
    for (let index = 0; index < 2; index++) {
      const signed = await linearDelivery(kernel, a.organizationId)
      const refused = await sendSigned(kernel, signed)
      expect(refused.status, `webhook ${WEBHOOKS_PER_MINUTE + index + 1} of tenant A`).toBe(429)
      const retryAfter = Number(refused.headers.get("retry-after"))
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`).toBe(true)
      const body = await refused.json()
      expect(body).toEqual({ error: { reason: "RateLimited", message: expect.any(String), retryAfterSeconds: retryAfter } })
      expect(JSON.stringify(body)).not.toContain(a.tenantId)
      refusedIds.push(signed.deliveryId)
      counted.webhooks429++
    }

    const other = await sendSigned(kernel, await linearDelivery(kernel, b.organizationId))
    expect(other.status, "tenant B's webhook while A is limited").toBe(200)
    counted.otherTenantPassed++

    const stored = await (await kernel.request("/v1/deliveries", { apiKey: a.apiKey })).text()
    for (const deliveryId of refusedIds) expect(stored, "a refused webhook is not stored").not.toContain(deliveryId)
  })

  it("answers a tenant's tool calls past the limit with a retryable RateLimited tool error, and lets the other tenant call", async () => {
    const { kernel, a, b } = world
    for (let index = 0; index < TOOL_CALLS_PER_MINUTE; index++) {
      const result = await callTool(kernel, a.sessionToken, "mcp_linear_get_issue", { issueId: a.issueId })
      expect(result.isError, `tool call ${index + 1} of tenant A: ${JSON.stringify(result.content)}`).not.toBe(true)
    }
    for (let index = 0; index < 2; index++) {
      const limited = await callTool(kernel, a.sessionToken, "mcp_linear_get_issue", { issueId: a.issueId })
      expect(limited.isError, `tool call ${TOOL_CALLS_PER_MINUTE + index + 1} of tenant A`).toBe(true)
      expect(limited.structuredContent).toEqual({
        error: { reason: "RateLimited", message: expect.any(String), retryAfterSeconds: expect.any(Number) }
      })
      expect(JSON.stringify(limited.content)).toMatch(/RateLimited: .*\(retry after \d+ s\)/)
      counted.toolCallsLimited++
    }
    const other = await callTool(kernel, b.sessionToken, "mcp_linear_get_issue", { issueId: b.issueId })
    expect(other.isError, `tenant B's tool call while A is limited: ${JSON.stringify(other.content)}`).not.toBe(true)
    counted.otherTenantPassed++
  })
})

/** The same arithmetic whether the buckets are in memory or shared through the database (`SharedBuckets.ts`). */
const makers = {
  "in memory": (limits: TenantLimits) => Limits.make(limits),
  "shared through SQLite": (limits: TenantLimits) => Effect.flatMap(Effect.service(LimitBucketStore), (store) => Limits.make(limits, store))
}

describe.each(Object.entries(makers))("Limits (token bucket), %s", (_, make) => {
  const refused = <A, E>(effect: Effect.Effect<A, E>) => Effect.map(Effect.result(effect), Result.isFailure)

  effectIt.effect("bursts up to the per-minute limit, refills continuously, and says how long to wait", () =>
    Effect.gen(function*() {
      const limits = yield* make({ webhooksPerMinute: 60, toolCallsPerMinute: 0 })
      for (let index = 0; index < 60; index++) yield* limits.admitWebhook([], Option.none())
      const first = yield* Effect.result(limits.admitWebhook([], Option.none()))
      expect(Result.isFailure(first) ? first.failure.retryAfterSeconds : "admitted").toBe(1)
      yield* TestClock.adjust("500 millis")
      expect(yield* refused(limits.admitWebhook([], Option.none())), "half a token").toBe(true)
      yield* TestClock.adjust("500 millis")
      expect(yield* refused(limits.admitWebhook([], Option.none())), "one token").toBe(false)
      yield* TestClock.adjust("10 minutes")
      for (let index = 0; index < 60; index++) yield* limits.admitWebhook([], Option.none())
      expect(yield* refused(limits.admitWebhook([], Option.none())), "never more than a minute's burst").toBe(true)
      // 0 turns a limit off.
      for (let index = 0; index < 1000; index++) yield* limits.admitToolCall("t1")
    }).pipe(Effect.provide(bucketDatabase)))

  effectIt.effect("keeps tenants apart, and a delivery shared by two tenants costs neither when one has no room", () =>
    Effect.gen(function*() {
      const limits = yield* make({ webhooksPerMinute: 3, toolCallsPerMinute: 3 })
      for (let index = 0; index < 3; index++) yield* limits.admitWebhook([{ tenantId: "t1" }], Option.none())
      expect(yield* refused(limits.admitWebhook([{ tenantId: "t1" }], Option.none()))).toBe(true)
      expect(yield* refused(limits.admitWebhook([{ tenantId: "t1" }, { tenantId: "t2" }], Option.none()))).toBe(true)
      // Tenant t2 was not charged for the refused shared delivery, and its app URL counts as t2.
      for (let index = 0; index < 3; index++) {
        yield* limits.admitWebhook([], Option.some({ registration: { tenantId: "t2" } }))
      }
      expect(yield* refused(limits.admitWebhook([{ tenantId: "t2" }], Option.none()))).toBe(true)
      // Webhooks and tool calls are counted apart.
      for (let index = 0; index < 3; index++) yield* limits.admitToolCall("t1")
      const limited = yield* Effect.result(limits.admitToolCall("t1"))
      expect(Result.isFailure(limited) ? [limited.failure.kind, limited.failure.retryAfterSeconds] : "admitted").toEqual(["toolCalls", 20])
    }).pipe(Effect.provide(bucketDatabase)))
})
