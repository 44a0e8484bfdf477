/**
 * Cold start: from spawn to the first verified 200 of a signed Linear webhook, per runtime, for
 * Switchboard's production entry and for a bare server of the same runtime (bench/bare/
 * coldstart-*: HMAC on Web Crypto, JSON parse, one SQLite insert). Each subject is spawned once
 * unmeasured (it migrates its database, fills the OS file cache and Deno's compile cache), then
 * alternately with its baseline, restarting over the same database as a redeploy does.
 *
 *     npx tsx bench/coldstart.ts [--passes 5]
 */
import { randomBytes } from "node:crypto"
import { request } from "node:http"
import { join } from "node:path"
import type { BenchOptions, BenchRow } from "./BenchRow.ts"
import { runAlone } from "./lib/options.ts"
import { signedLinearComment } from "../scripts/signedLinearComment.ts"
import { bin, type Command, freePort, groupCpuSeconds, scratch, sleep, start } from "./lib/processes.ts"
import { buildEntries, builtEntry, switchboardEnv as benchEnv } from "./lib/servers.ts"
import { median, round } from "./lib/stats.ts"
import { atMost, TARGETS } from "./lib/targets.ts"

const secret = randomBytes(24).toString("hex")

/** Switchboard's settings for a start (the secrets are fresh; the database is kept across spawns). */
const switchboardEnv = (port: number, database: string): Record<string, string> => ({
  ...benchEnv(port),
  SWITCHBOARD_DATABASE: database,
  LINEAR_WEBHOOK_SECRET: secret,
  NO_COLOR: "1",
  DENO_NO_UPDATE_CHECK: "1"
})

const bareEnv = (port: number, database: string): Record<string, string> => ({
  PORT: String(port),
  SECRET: secret,
  DATABASE: database,
  DENO_NO_UPDATE_CHECK: "1"
})

interface Subject {
  readonly runtime: "Bun" | "Node" | "Deno"
  readonly name: string
  readonly command: (port: number, database: string) => Command
}

const subjects: ReadonlyArray<readonly [bare: Subject, switchboard: Subject, limitMs: number | undefined]> = [
  [
    { runtime: "Bun", name: "bare Bun.serve + bun:sqlite", command: (port, db) => ({ command: bin("bun"), args: ["bench/bare/coldstart-bun.ts"], env: bareEnv(port, db) }) },
    { runtime: "Bun", name: "Switchboard on Bun", command: (port, db) => ({ ...builtEntry("bun"), env: switchboardEnv(port, db) }) },
    TARGETS.coldStartMs.bun
  ],
  [
    { runtime: "Node", name: "bare node:http + better-sqlite3", command: (port, db) => ({ command: process.execPath, args: ["bench/bare/coldstart-node.mjs"], env: bareEnv(port, db) }) },
    { runtime: "Node", name: "Switchboard on Node", command: (port, db) => ({ ...builtEntry("node"), env: switchboardEnv(port, db) }) },
    TARGETS.coldStartMs.node
  ],
  [
    { runtime: "Deno", name: "bare Deno.serve + node:sqlite", command: (port, db) => ({ command: bin("deno"), args: ["run", "-A", "--no-prompt", "bench/bare/coldstart-deno.ts"], env: bareEnv(port, db) }) },
    { runtime: "Deno", name: "Switchboard on Deno", command: (port, db) => ({ command: bin("deno"), args: ["run", "-A", "--no-prompt", "runtimes/deno/main.ts"], env: switchboardEnv(port, db) }) },
    undefined
  ]
]

/** A signed Linear delivery, with its length declared (the request is written by hand). */
const signedWebhook = () => {
  const { body, headers } = signedLinearComment(secret, "bench-coldstart")
  return { body, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }
}

/** One POST on a fresh connection: its status, or undefined while nothing listens. */
const post = (port: number): Promise<number | undefined> =>
  new Promise((resolvePost) => {
    const { body, headers } = signedWebhook()
    const outgoing = request({ host: "127.0.0.1", port, path: "/webhook/linear", method: "POST", headers, agent: false }, (response) => {
      response.resume()
      response.once("end", () => resolvePost(response.statusCode))
    })
    outgoing.once("error", () => resolvePost(undefined))
    outgoing.end(body)
  })

interface Start {
  /** Wall-clock milliseconds from spawn to the first 200. */
  readonly ms: number
  /** CPU milliseconds the process had used by then (its own accounting): steadier than the wall
   * clock on shared cores, where a start also waits for other processes. */
  readonly cpuMs: number
}

/** Spawns the subject and polls until a signed webhook is answered 200. */
const coldStart = async (subject: Subject, database: string): Promise<Start> => {
  const port = await freePort()
  const command = subject.command(port, database)
  const started = performance.now()
  // Nothing to stop gracefully: the next spawn reopens the same database, as after a crash.
  const child = start(command, { graceMs: 0 })
  try {
    while (performance.now() - started < 30_000) {
      if (child.exited()) throw new Error(`${subject.name} exited before answering`)
      const status = await post(port)
      if (status === 200) return { ms: performance.now() - started, cpuMs: groupCpuSeconds(child.pid) * 1000 }
      if (status !== undefined && status !== 503) throw new Error(`${subject.name} answered ${status}`)
      await sleep(1)
    }
    throw new Error(`${subject.name} did not answer 200 within 30 s`)
  } finally {
    await child.stop()
  }
}

/** What a missed start target is held back by, from timing probes of each start (December 2026). */
const heldBack: Readonly<Record<"Bun" | "Node", string>> = {
  Bun: "Held back on Bun (fastest of 12 starts, ~75 ms in all) by code loading, ~30 ms: Bun ~2, the bytecode ~7, " +
    "module top levels ~20 (Effect ~11, the four providers ~7); preflight ~3; the layer build ~31 (providers' settings ~4, " +
    "SQLite open, stores and migrations ~5, kernel services ~5 and the rest); the first request ~5. The router, the " +
    "derived keys, the MCP SDK, the Console's files and the Postgres client are deferred to first use. Built a second " +
    "time in one process the same layers take ~6 ms: their cost is code run for the first time (Effect's layer " +
    "machinery, the SQL stores, the providers' settings), not I/O, so it shrinks only with less built at start",
  Node: "Held back on Node (timing probes of quiet starts, ~105 ms from spawn to the answer inside the process) by " +
    "Node's own start, ~20 ms (the bare server's too); main.mjs, then reading and deserialising V8's code cache of " +
    "app-sqlite.cjs, ~18 (the build's run of the app writes it: nothing is compiled from source at start); module top " +
    "levels ~35 (Effect, the kernel, the four providers ~9, better-sqlite3, and @hono/node-server ~12, whose web Request, " +
    "Response and Headers load Node's undici and with it tls, http2, zlib and worker_threads, none of which the bare " +
    "server touches); preflight ~2; the layer build ~10; listening to the request's arrival ~10; the request ~7. " +
    "Scavenges of the young generation are spread over these. On a loaded machine every part stretches: compare with " +
    "the bare start of the same run"
}

export const run = async (options: BenchOptions): Promise<ReadonlyArray<BenchRow>> => {
  const spawns = Math.max(5, options.passes)
  const folder = scratch()
  const rows: Array<BenchRow> = []
  try {
    await buildEntries()
    for (const [bare, switchboard, limitMs] of subjects) {
      const databases = { bare: join(folder.path, `${bare.runtime}-bare.sqlite`), switchboard: join(folder.path, `${bare.runtime}.sqlite`) }
      await coldStart(bare, databases.bare)
      await coldStart(switchboard, databases.switchboard)
      const bareStarts: Array<Start> = []
      const starts: Array<Start> = []
      for (let pass = 0; pass < spawns; pass++) {
        bareStarts.push(await coldStart(bare, databases.bare))
        starts.push(await coldStart(switchboard, databases.switchboard))
      }
      const bareMs = median(bareStarts.map((start) => start.ms))
      const ms = median(starts.map((start) => start.ms))
      const figures = (all: ReadonlyArray<Start>) => ({
        ms: round(median(all.map((start) => start.ms))),
        "min ms": round(Math.min(...all.map((start) => start.ms))),
        "cpu ms": round(median(all.map((start) => start.cpuMs)))
      })
      rows.push({ section: "cold start", subject: bare.name, figures: figures(bareStarts) })
      rows.push({
        section: "cold start",
        subject: switchboard.name,
        baseline: bare.name,
        figures: { ...figures(starts), "x bare": round(ms / bareMs) },
        ...(limitMs === undefined ? {} : { targets: [atMost(`spawn to first verified 200, ms (at most ${limitMs})`, ms, limitMs)] }),
        note: `median of ${spawns} spawns over a migrated database, each alternating with its baseline; ${
          switchboard.runtime === "Deno" ? "runtimes/deno/main.ts" : builtEntry(switchboard.runtime === "Bun" ? "bun" : "node").args.join(" ")
        }${limitMs !== undefined && ms > limitMs && switchboard.runtime !== "Deno" ? `. ${heldBack[switchboard.runtime]}` : ""}`
      })
    }
  } finally {
    folder.remove()
  }
  return rows
}

await runAlone(import.meta.url, run)
