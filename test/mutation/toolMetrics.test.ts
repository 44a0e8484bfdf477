/**
 * What a tool call leaves in the metrics: `switchboard_tool_calls` by provider, tool and outcome
 * (ok, the tool error's reason, or "defect"), unknown names under "unknown" so callers cannot mint
 * new series; and the tenant's per-minute counts (`ToolCallCounts`), calls and errors.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Metric } from "effect"
import { TestClock } from "effect/testing"
import * as Metrics from "../../kernel/observability/Metrics.ts"
import { ToolCallCounts } from "../../kernel/observability/ToolCallCounts.ts"
import { Tools } from "../../kernel/tools/Tools.ts"
import type { SessionClaims } from "../../kernel/vault/SessionTokens.ts"
import { installWorld, NOW, seed, tenantA, Vendor } from "./world.ts"

const inWorld = <A, E, R>(body: (vendor: Vendor) => Effect.Effect<A, E, R>) => {
  const vendor = new Vendor()
  return Effect.gen(function*() {
    yield* TestClock.setTime(NOW)
    return yield* body(vendor)
  }).pipe(Effect.provide(installWorld(vendor)))
}

const counted = (attributes: { readonly provider: string; readonly tool: string; readonly outcome: string }) =>
  Effect.map(Metric.value(Metric.withAttributes(Metrics.toolCalls, attributes)), (state) => state.count)

/** Runs `call` and returns how much each series moved. */
const moved = <E, R>(
  series: ReadonlyArray<{ readonly provider: string; readonly tool: string; readonly outcome: string }>,
  call: Effect.Effect<unknown, E, R>
) =>
  Effect.gen(function*() {
    const before = yield* Effect.forEach(series, counted)
    yield* Effect.exit(call)
    const after = yield* Effect.forEach(series, counted)
    return after.map((count, i) => count - before[i]!)
  })

describe("tool call metrics", () => {
  it.effect("counts each call under its provider, tool and outcome", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const tools = yield* Tools
        const { installation, publication } = yield* seed({ tokens: vendor.tokens("tok") })
        const claims: SessionClaims = {
          tenantId: tenantA,
          publicationId: publication.id,
          installationId: installation.id,
          sessionKey: "widgets:thing:1",
          scopes: ["widgets:read"],
          expiresAt: NOW / 1000 + 3600
        }
        const read = { provider: "widgets", tool: "mcp_widgets_read" }
        const write = { provider: "widgets", tool: "mcp_widgets_write" }
        const unknown = { provider: "unknown", tool: "unknown" }
        const series = [
          { ...read, outcome: "ok" },
          { ...read, outcome: "InvalidInput" },
          { ...read, outcome: "defect" },
          { ...write, outcome: "OutOfScope" },
          { ...unknown, outcome: "UnknownTool" }
        ]
        expect(yield* moved(series, tools.call(claims, "mcp_widgets_read", { id: "1" }))).toEqual([1, 0, 0, 0, 0])
        expect(yield* moved(series, tools.call(claims, "mcp_widgets_read", { id: 1 }))).toEqual([0, 1, 0, 0, 0])
        expect(yield* moved(series, tools.call(claims, "mcp_widgets_write", { body: "x" }))).toEqual([0, 0, 0, 1, 0])
        expect(yield* moved(series, tools.call(claims, "mcp_nobody_anything", {}))).toEqual([0, 0, 0, 0, 1])
        // A tool that dies (a bug, not a tool error) is counted as a defect.
        vendor.refused.has = () => {
          throw new Error("boom")
        }
        expect(yield* moved(series, tools.call(claims, "mcp_widgets_read", { id: "2" }))).toEqual([0, 0, 1, 0, 0])
        // The tenant's per-minute view: five calls of widgets tools, one succeeded; the unknown one under "unknown".
        const minutes = yield* (yield* ToolCallCounts).since(tenantA, 0)
        expect(minutes.map(({ providerId, calls, errors }) => ({ providerId, calls, errors })).sort((a, b) => a.providerId.localeCompare(b.providerId)))
          .toEqual([{ providerId: "unknown", calls: 1, errors: 1 }, { providerId: "widgets", calls: 4, errors: 3 }])
      })))
})
