/**
 * Issue 14's targets (same run, this machine, load generator included), each number named once,
 * and the checks the sections report them with. A row's target names quote these numbers.
 */
import type { BenchRow } from "../BenchRow.ts"
import { round } from "./stats.ts"

export const TARGETS = {
  /** 1. Ingest on Bun: req/s at least this share of the bare Bun server's... */
  bunReqShare: 0.8,
  /** ...and with group commit, aim for this. */
  bunReqAim: 1.0,
  /** ...CPU per request at most this many times the bare server's, p99 at most this many times. */
  bunCpuRatio: 1.25,
  bunP99Ratio: 1.5,
  /** 2. Switchboard on Bun faster than `@octokit/webhooks` on Node (a ratio above this)... */
  octokitRatio: 1,
  /** ...and on Node and Deno at least this share of the bare server of the same runtime. */
  sameRuntimeReqShare: 0.8,
  /** 3. With dispatch to the local sink: at least this share of bare ingest... */
  dispatchReqShare: 0.5,
  /** ...and the outbox drained within this many ms of the load's end. */
  drainMs: 5_000,
  /** 4. Cold start, spawn to first verified 200, at most (ms); Deno has none. */
  coldStartMs: { bun: 60, node: 250 },
  /** 5. The Worker bundle with every provider: gzip -9 bytes, and parse and evaluate ms, at most. */
  bundleGzipBytes: 300 * 1024,
  bundleEvaluateMs: 50,
  /** 6. `tools/call`: p50 at most this many ms above the bare MCP server... */
  toolcallP50OverMs: 0.2,
  /** ...and at 32 connections at least this share of its throughput. */
  toolcallReqShare: 0.7,
  /** 7. At 1,000,000 stored events, within 10% of the empty database: req/s at least, CPU per request at most. */
  scaleReqShare: 0.9,
  scaleCpuRatio: 1.1,
  /** Not the issue's: three instances on one Postgres keep at least this share of one instance's throughput. */
  scaleOutReqShare: 0.9
} as const

export type Target = NonNullable<BenchRow["targets"]>[number]

/** `value` (rounded for the table; the check uses it as measured) must be at least `limit`. */
export const atLeast = (name: string, value: number, limit: number): Target => ({ name, value: round(value), limit, holds: value >= limit })
/** `value` (rounded for the table; the check uses it as measured) must be at most `limit`. */
export const atMost = (name: string, value: number, limit: number): Target => ({ name, value: round(value), limit, holds: value <= limit })
