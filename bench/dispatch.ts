/**
 * Ingest with dispatch: Switchboard on Bun with one installation and one publication, each
 * delivery an 8 KB GitHub `issue_comment` that mentions the bot on an issue of its own, so each
 * becomes a session dispatch delivered to a real local HTTP sink (signed, answered 200). Against
 * the bare Bun server (ingest only) in the same passes. When the load stops: the backlog (events
 * not yet decided plus outbox entries not yet delivered) and how long it takes to reach zero.
 */
import Database from "better-sqlite3"
import { createServer } from "node:http"
import { join } from "node:path"
import type { BenchOptions, BenchRow } from "./BenchRow.ts"
import { SUBJECTS } from "./ingest.ts"
import { measure, type Pass } from "./lib/load.ts"
import { GITHUB_SECRET, gitHubIssueComment } from "./lib/payloads.ts"
import { dropDatabases, scratch, sleep } from "./lib/processes.ts"
import { NOTES } from "./lib/notes.ts"
import { BOT, seedOneInstallation } from "./lib/seed.ts"
import { startBenchServer, startSwitchboard, switchboardEnv } from "./lib/servers.ts"
import { median, medians } from "./lib/stats.ts"
import { atLeast, atMost, TARGETS } from "./lib/targets.ts"

export const section = "dispatch"

const SUBJECT = "Switchboard on Bun, dispatching each event to a local HTTP sink"
const DRAIN_LIMIT_MS = 60_000

/** The agent platform's side: counts deliveries, answers 200 at once. */
const startSink = async () => {
  let received = 0
  const server = createServer((request, response) => {
    request.resume()
    request.on("end", () => {
      received++
      response.writeHead(200, { "content-type": "application/json" }).end("{\"ok\":true}")
    })
  })
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening))
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/sessions`,
    received: () => received,
    close: () => new Promise<void>((closed) => server.close(() => closed()))
  }
}

/** Events not yet decided plus outbox entries not yet delivered. */
const backlogOf = (filename: string): number => {
  const db = new Database(filename, { readonly: true, fileMustExist: true })
  try {
    db.pragma("busy_timeout = 5000")
    const row = db.prepare(
      "SELECT (SELECT count(*) FROM webhook_events WHERE status = 'received') + (SELECT count(*) FROM outbox WHERE status = 'pending') AS backlog"
    ).get()
    return typeof row === "object" && row !== null && "backlog" in row && typeof row.backlog === "number" ? row.backlog : Number.NaN
  } finally {
    db.close()
  }
}

export const run = async (options: BenchOptions): Promise<ReadonlyArray<BenchRow>> => {
  const bare: Array<Pass> = []
  const switchboard: Array<Pass & { readonly backlog: number; readonly drainMs: number; readonly delivered: number }> = []
  const directory = scratch()
  const sink = await startSink()
  const template = gitHubIssueComment({ mention: BOT, issuePerRequest: true })
  try {
    for (let pass = 0; pass < options.passes; pass++) {
      const order = pass % 2 === 0 ? ["bare", "switchboard"] : ["switchboard", "bare"]
      for (const which of order) {
        process.stderr.write(`  pass ${pass + 1}/${options.passes}: ${which === "bare" ? SUBJECTS.bareBun : SUBJECT}\n`)
        if (which === "bare") {
          const server = await startBenchServer("bun", "bare-bun.ts", directory.path, GITHUB_SECRET)
          try {
            bare.push(await measure(server, gitHubIssueComment(), { ...options, path: "/webhook/github", scratch: directory.path }))
          } finally {
            await server.stop()
            dropDatabases(directory.path)
          }
          continue
        }
        const filename = join(directory.path, `dispatch-${pass}.sqlite`)
        const env = { ...switchboardEnv(0), SWITCHBOARD_DATABASE: filename, SWITCHBOARD_SESSIONS_URL: sink.url }
        await seedOneInstallation(filename, env)
        const server = await startSwitchboard("bun", directory.path, { SWITCHBOARD_DATABASE: filename, SWITCHBOARD_SESSIONS_URL: sink.url, MCP_SIGNING_KEY: env.MCP_SIGNING_KEY, SWITCHBOARD_VAULT_KEYS: env.SWITCHBOARD_VAULT_KEYS })
        try {
          const before = sink.received()
          const figures = await measure(server, template, { ...options, path: "/webhook/github", scratch: directory.path })
          const stopped = Date.now()
          const backlog = backlogOf(filename)
          let left = backlog
          while (left > 0 && Date.now() - stopped < DRAIN_LIMIT_MS) {
            await sleep(50)
            left = backlogOf(filename)
          }
          switchboard.push({ ...figures, backlog, drainMs: left > 0 ? Number.POSITIVE_INFINITY : Date.now() - stopped, delivered: sink.received() - before })
        } finally {
          await server.stop()
          dropDatabases(directory.path)
        }
      }
    }
  } finally {
    await sink.close()
    directory.remove()
  }
  const bareFigures = medians(bare)
  const figures: Record<string, number> = {
    ...medians(switchboard.map(({ backlog: _backlog, delivered: _delivered, drainMs: _drainMs, ...pass }) => pass)),
    "backlog at stop": median(switchboard.map((pass) => pass.backlog)),
    "drain ms": median(switchboard.map((pass) => pass.drainMs)),
    delivered: median(switchboard.map((pass) => pass.delivered))
  }
  return [
    { section, subject: SUBJECTS.bareBun, figures: bareFigures },
    {
      section,
      subject: SUBJECT,
      figures,
      baseline: SUBJECTS.bareBun,
      targets: [
        atLeast("req/s vs bare ingest (3)", (figures["req/s"] ?? Number.NaN) / (bareFigures["req/s"] ?? Number.NaN), TARGETS.dispatchReqShare),
        atMost("drain after the load stops, ms (3)", figures["drain ms"] ?? Number.NaN, TARGETS.drainMs)
      ],
      note: `${NOTES.dispatch} (delivered counts the sink's requests over warm-up, measurement and drain; the backlog is events not yet decided plus outbox entries not yet delivered)`
    }
  ]
}
