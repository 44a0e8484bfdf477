/**
 * `tools/call` through `/mcp` on Bun (Switchboard's production entry: session token check, the
 * session's rows read, the vendor called with the installation's token) against a bare MCP SDK
 * server on Bun (bench/bare/toolcall-mcp.ts) calling the same fake vendor (bench/bare/
 * toolcall-vendor.ts, also Bun): p50 at one connection, req/s and p99 at 32, and the server's
 * CPU per call from its own accounting. wrk -t1 on the same cores; passes alternate the two;
 * medians. The tool is Linear's `list_teams` (one GraphQL query). Per-tenant tool-call limits are
 * off in the served process (SWITCHBOARD_TOOL_CALLS_PER_MINUTE=0): they would answer the load.
 *
 *     npx tsx bench/toolcall.ts [--passes 3 --seconds 12 --warmup 3]
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { BenchOptions, BenchRow } from "./BenchRow.ts"
import { cpuMs, peakRssMb } from "./edge/cpu.ts"
import { buildEntries, entry } from "./edge/entries.ts"
import { runAlone } from "./edge/main.ts"
import { bin, cleanEnv, freePort, sleep, start } from "./edge/processes.ts"
import type { Child } from "./edge/processes.ts"
import { median, round, target } from "./edge/stats.ts"
import { seed } from "./edge/toolcallSeed.ts"
import { ensureWrk, wrk, writeScript } from "./edge/wrk.ts"
import type { WrkResult } from "./edge/wrk.ts"

interface Served {
  readonly name: string
  readonly url: string
  readonly child: Child
  readonly headers: Readonly<Record<string, string>>
}

const callBody = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "mcp_linear_list_teams", arguments: {} } })

const mcpHeaders = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-06-18"
}

const listening = async (served: Served): Promise<void> => {
  const started = Date.now()
  while (Date.now() - started < 30_000) {
    if (served.child.exited()) throw new Error(`${served.name} exited before listening`)
    try {
      const response = await fetch(served.url, { method: "POST", headers: served.headers, body: callBody })
      const text = await response.text()
      if (response.status !== 200) throw new Error(`${served.name} answered ${response.status}: ${text.slice(0, 300)}`)
      // The vendor's teams came back, not a tool error.
      if (!text.includes("Engineering") || text.includes("\"isError\":true")) throw new Error(`${served.name}: ${text.slice(0, 300)}`)
      return
    } catch (error) {
      if (error instanceof Error && error.message.startsWith(served.name)) throw error
    }
    await sleep(50)
  }
  throw new Error(`${served.name} did not answer within 30 s`)
}

interface Pass {
  readonly low: WrkResult
  readonly high: WrkResult
  readonly cpuUsPerCall: number
}

const measure = async (served: Served, script: string, options: BenchOptions): Promise<Pass> => {
  const pid = served.child.process.pid!
  await wrk({ url: served.url, script, connections: 32, seconds: options.warmupSeconds })
  const low = await wrk({ url: served.url, script, connections: 1, seconds: Math.max(3, Math.round(options.seconds / 2)) })
  const cpuBefore = cpuMs(pid)
  const high = await wrk({ url: served.url, script, connections: 32, seconds: options.seconds })
  const cpuUsPerCall = ((cpuMs(pid) - cpuBefore) * 1000) / (high.requestsPerSecond * options.seconds)
  if (low.failures > 0 || high.failures > 0) throw new Error(`${served.name}: ${low.failures + high.failures} failed requests`)
  return { low, high, cpuUsPerCall }
}

const figures = (passes: ReadonlyArray<Pass>, pid: number) => ({
  "p50 ms (1 conn)": round(median(passes.map((pass) => pass.low.p50Ms))),
  "req/s (32 conn)": round(median(passes.map((pass) => pass.high.requestsPerSecond))),
  "p99 ms (32 conn)": round(median(passes.map((pass) => pass.high.p99Ms))),
  "cpu us/req": round(median(passes.map((pass) => pass.cpuUsPerCall))),
  "peak rss MB": round(peakRssMb(pid))
})

/** What missed tool-call targets are held back by, as profiled when this bench was written. */
const heldBack = "Held back by the Effect runtime around the SDK's own work: about 11 fibers per call (the router's, " +
  "the tool call's, SQL and HTTP client effects), Context lookups and fiber bookkeeping near half of the CPU; four SQLite " +
  "reads (tenant, publication, installation, sealed tokens: one joined read needs a new store method in every " +
  "adapter); the vendor call through Effect's HttpClient and a Schema decode of its answer"

export const run = async (options: BenchOptions): Promise<ReadonlyArray<BenchRow>> => {
  ensureWrk()
  const folder = mkdtempSync(join(tmpdir(), "switchboard-bench-toolcall-"))
  const children: Array<Child> = []
  try {
    const database = join(folder, "switchboard.sqlite")
    await buildEntries()
    const seeded = await seed(database)
    const [vendorPort, switchboardPort, barePort] = [await freePort(), await freePort(), await freePort()]
    const vendorUrl = `http://127.0.0.1:${vendorPort}`
    children.push(start({ command: bin("bun"), args: ["bench/bare/toolcall-vendor.ts"], env: { ...cleanEnv(), PORT: String(vendorPort) } }))
    const switchboard: Served = {
      name: "Switchboard on Bun",
      url: `http://127.0.0.1:${switchboardPort}/mcp`,
      headers: { ...mcpHeaders, authorization: `Bearer ${seeded.token}` },
      child: start({
        ...entry("bun"),
        env: {
          ...cleanEnv(),
          ...seeded.env,
          PORT: String(switchboardPort),
          HOST: "127.0.0.1",
          SWITCHBOARD_DATABASE: database,
          LINEAR_API_URL: vendorUrl,
          SWITCHBOARD_MCP_ALLOWED_HOSTS: "127.0.0.1",
          SWITCHBOARD_TOOL_CALLS_PER_MINUTE: "0"
        }
      })
    }
    const bare: Served = {
      name: "bare MCP SDK server on Bun",
      url: `http://127.0.0.1:${barePort}/mcp`,
      headers: mcpHeaders,
      child: start({ command: bin("bun"), args: ["bench/bare/toolcall-mcp.ts"], env: { ...cleanEnv(), PORT: String(barePort), VENDOR_URL: vendorUrl } })
    }
    children.push(switchboard.child, bare.child)
    await listening(bare)
    await listening(switchboard)
    const scripts = { switchboard: join(folder, "switchboard.lua"), bare: join(folder, "bare.lua") }
    writeScript(scripts.switchboard, { method: "POST", headers: switchboard.headers, body: callBody })
    writeScript(scripts.bare, { method: "POST", headers: bare.headers, body: callBody })
    const passes = { switchboard: [] as Array<Pass>, bare: [] as Array<Pass> }
    for (let pass = 0; pass < options.passes; pass++) {
      passes.bare.push(await measure(bare, scripts.bare, options))
      passes.switchboard.push(await measure(switchboard, scripts.switchboard, options))
    }
    const bareFigures = figures(passes.bare, bare.child.process.pid!)
    const ours = figures(passes.switchboard, switchboard.child.process.pid!)
    const overMs = ours["p50 ms (1 conn)"] - bareFigures["p50 ms (1 conn)"]
    const throughput = ours["req/s (32 conn)"] / bareFigures["req/s (32 conn)"]
    return [
      { section: "tools/call", subject: bare.name, figures: bareFigures },
      {
        section: "tools/call",
        subject: switchboard.name,
        baseline: bare.name,
        figures: { ...ours, "p50 over bare ms": round(overMs), "x bare req/s": round(throughput) },
        targets: [
          target("p50 above the bare server's, ms (at most 0.2)", overMs, 0.2, "at most"),
          target("req/s at 32 connections, share of the bare server's (at least 0.7)", throughput, 0.7, "at least")
        ],
        note: `mcp_linear_list_teams against a fake Linear on Bun; ${options.passes} alternating passes, medians; wrk -t1 on the same cores${
          overMs > 0.2 || throughput < 0.7 ? `. ${heldBack}` : ""
        }`
      }
    ]
  } finally {
    await Promise.all(children.map((child) => child.stop()))
    rmSync(folder, { recursive: true, force: true })
  }
}

await runAlone(import.meta.url, run)
