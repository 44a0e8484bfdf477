/**
 * Ingest at scale: Switchboard on Bun on a SQLite file holding 100,000 installations, 10,000
 * publications and 1,000,000 stored webhook events, against the same server on an empty file, in
 * alternating passes. Target 7: within 10% of the empty database. (`tools/call` at scale is
 * bench/toolcall.ts's.) `--quick` seeds a tenth of each, and says so.
 */
import { statSync } from "node:fs"
import { join } from "node:path"
import type { BenchOptions, BenchRow } from "./BenchRow.ts"
import { measure, type Pass } from "./lib/load.ts"
import { gitHubIssueComment } from "./lib/payloads.ts"
import { scratch } from "./lib/processes.ts"
import { NOTES } from "./lib/notes.ts"
import { migrateOnly, type ScaleCounts, seedScale } from "./lib/seed.ts"
import { startSwitchboard, switchboardEnv } from "./lib/servers.ts"
import { medians } from "./lib/stats.ts"
import { atLeast, atMost, TARGETS } from "./lib/targets.ts"

export const section = "scale"

const FULL: ScaleCounts = { installations: 100_000, publications: 10_000, events: 1_000_000 }
const QUICK: ScaleCounts = { installations: 10_000, publications: 1_000, events: 100_000 }

export const run = async (options: BenchOptions): Promise<ReadonlyArray<BenchRow>> => {
  const counts = options.passes <= 1 && options.seconds <= 3 ? QUICK : FULL
  const directory = scratch()
  const template = gitHubIssueComment()
  const empty: Array<Pass> = []
  const full: Array<Pass> = []
  const large = join(directory.path, "scale.sqlite")
  const label = `${counts.installations.toLocaleString("en-US")} installations, ${counts.publications.toLocaleString("en-US")} publications, ${counts.events.toLocaleString("en-US")} events`
  try {
    process.stderr.write(`  seeding ${label}\n`)
    const started = Date.now()
    await migrateOnly(large, switchboardEnv(0))
    seedScale(large, counts)
    const seedSeconds = (Date.now() - started) / 1000
    const megabytes = statSync(large).size / 1024 / 1024
    for (let pass = 0; pass < options.passes; pass++) {
      const order = pass % 2 === 0 ? ["empty", "full"] : ["full", "empty"]
      for (const which of order) {
        process.stderr.write(`  pass ${pass + 1}/${options.passes}: Switchboard on Bun, ${which === "empty" ? "empty database" : label}\n`)
        const server = await startSwitchboard("bun", directory.path, which === "full" ? { SWITCHBOARD_DATABASE: large } : {})
        try {
          const figures = await measure(server, template, { ...options, path: "/webhook/github", scratch: directory.path })
          ;(which === "empty" ? empty : full).push(figures)
        } finally {
          await server.stop()
        }
      }
    }
    const emptyFigures = medians(empty)
    const fullFigures = medians(full)
    const subjectEmpty = "Switchboard on Bun, empty database"
    return [
      { section, subject: subjectEmpty, figures: emptyFigures },
      {
        section,
        subject: `Switchboard on Bun, ${label}`,
        figures: { ...fullFigures, "database MB": megabytes, "seed s": seedSeconds },
        baseline: subjectEmpty,
        targets: [
          atLeast(`req/s vs empty (7: >= ${TARGETS.scaleReqShare})`, (fullFigures["req/s"] ?? Number.NaN) / (emptyFigures["req/s"] ?? Number.NaN), TARGETS.scaleReqShare),
          atMost(`cpu us/req vs empty (7: <= ${TARGETS.scaleCpuRatio})`, (fullFigures["cpu us/req"] ?? Number.NaN) / (emptyFigures["cpu us/req"] ?? Number.NaN), TARGETS.scaleCpuRatio)
        ],
        note: counts === QUICK
          ? "--quick seeds a tenth of the rows; run without it for the 1,000,000-event figure"
          : `events seeded with 1 KB bodies (the indexes are what grows); the deliveries are unrouted, as in the ingest section. ${NOTES.scale}`
      }
    ]
  } finally {
    directory.remove()
  }
}
