/**
 * Webhook ingest over HTTP with real processes: Switchboard's production entry on Bun, Node and
 * Deno (SQLite file, a signed 8 KB GitHub `issue_comment`, no installation, so nothing is
 * dispatched) against the bare server of the same runtime, and the peers users know:
 * `@octokit/webhooks` on Node (verify and route, no storage) and Slack Bolt's HTTP receiver on
 * Node (an `app_mention`). Alternating passes, medians.
 */
import type { BenchOptions, BenchRow } from "./BenchRow.ts"
import { measure, type Pass } from "./lib/load.ts"
import { GITHUB_SECRET, gitHubIssueComment, SLACK_SIGNING_SECRET, slackAppMention, type SignedTemplate } from "./lib/payloads.ts"
import { dropDatabases, scratch, type Spawned } from "./lib/processes.ts"
import { NOTES } from "./lib/notes.ts"
import { type Runtime, startBenchServer, startSwitchboard } from "./lib/servers.ts"
import { medians } from "./lib/stats.ts"
import { atLeast, atMost, type Target, TARGETS } from "./lib/targets.ts"

export const section = "ingest"

interface Subject {
  readonly name: string
  readonly start: (directory: string) => Promise<Spawned>
  readonly path: string
  readonly template: () => SignedTemplate
}

const github = gitHubIssueComment()
const bare = (runtime: Runtime, label: string): Subject => ({
  name: label,
  start: (directory) => startBenchServer(runtime, `bare-${runtime}.ts`, directory, GITHUB_SECRET),
  path: "/webhook/github",
  template: () => github
})
const switchboard = (runtime: Runtime, label: string): Subject => ({
  name: label,
  start: (directory) => startSwitchboard(runtime, directory),
  path: "/webhook/github",
  template: () => github
})

export const SUBJECTS = {
  bareBun: "bare Bun.serve + Web Crypto HMAC + bun:sqlite insert",
  bun: "Switchboard on Bun",
  bareNode: "bare Node + better-sqlite3 insert",
  node: "Switchboard on Node",
  bareDeno: "bare Deno + node:sqlite insert",
  deno: "Switchboard on Deno",
  octokit: "@octokit/webhooks middleware on Node (verify and route, no storage)",
  bolt: "Slack Bolt HTTP receiver on Node (app_mention, no storage)"
} as const

const subjects: ReadonlyArray<Subject> = [
  bare("bun", SUBJECTS.bareBun),
  switchboard("bun", SUBJECTS.bun),
  bare("node", SUBJECTS.bareNode),
  switchboard("node", SUBJECTS.node),
  bare("deno", SUBJECTS.bareDeno),
  switchboard("deno", SUBJECTS.deno),
  {
    name: SUBJECTS.octokit,
    start: (directory) => startBenchServer("node", "octokit.ts", directory, GITHUB_SECRET),
    path: "/webhook/github",
    template: () => github
  },
  {
    name: SUBJECTS.bolt,
    start: (directory) => startBenchServer("node", "bolt.ts", directory, SLACK_SIGNING_SECRET),
    path: "/slack/events",
    // Bolt refuses timestamps older than five minutes: signed when the pass starts.
    template: () => slackAppMention(Math.floor(Date.now() / 1000))
  }
]

/**
 * Runs every subject once per pass, each on a fresh server and database (removed when it stops),
 * the order rotating between passes.
 */
export const alternate = async (
  list: ReadonlyArray<Subject>,
  options: BenchOptions
): Promise<{ readonly figures: Map<string, Record<string, number>>; readonly failures: Map<string, string> }> => {
  const passes = new Map<string, Array<Pass>>(list.map((subject) => [subject.name, []]))
  const failures = new Map<string, string>()
  const directory = scratch()
  try {
    for (let pass = 0; pass < options.passes; pass++) {
      const order = list.map((_, index) => list[(index + pass) % list.length]!)
      for (const subject of order) {
        if (failures.has(subject.name)) continue
        process.stderr.write(`  pass ${pass + 1}/${options.passes}: ${subject.name}\n`)
        try {
          const server = await subject.start(directory.path)
          try {
            passes.get(subject.name)!.push(await measure(server, subject.template(), { ...options, path: subject.path, scratch: directory.path }))
          } finally {
            await server.stop()
            dropDatabases(directory.path)
          }
        } catch (error) {
          // One subject that cannot run (a peer not installed) must not lose the others' figures.
          failures.set(subject.name, (error instanceof Error ? error.message : String(error)).split("\n").slice(0, 6).join(" / "))
        }
      }
    }
  } finally {
    directory.remove()
  }
  return { figures: new Map([...passes].map(([name, list]) => [name, medians(list)])), failures }
}

const ratio = (figures: Map<string, Record<string, number>>, subject: string, baseline: string, figure: string) =>
  (figures.get(subject)?.[figure] ?? Number.NaN) / (figures.get(baseline)?.[figure] ?? Number.NaN)

export const run = async (options: BenchOptions): Promise<ReadonlyArray<BenchRow>> => {
  // BENCH_ONLY=bun (a comma-separated list of words) runs only the subjects whose name has one.
  const only = (process.env["BENCH_ONLY"] ?? "").split(",").map((word) => word.trim().toLowerCase()).filter((word) => word.length > 0)
  const chosen = only.length === 0 ? subjects : subjects.filter((subject) => only.some((word) => subject.name.toLowerCase().includes(word)))
  const { failures, figures } = await alternate(chosen, options)
  const of = (name: string) => figures.get(name) ?? {}
  const failed = (row: BenchRow): BenchRow => {
    const failure = failures.get(row.subject)
    return failure === undefined ? row : { ...row, note: `did not run: ${failure}` }
  }
  const noted = (row: BenchRow, note: string): BenchRow => (row.targets ?? []).some((target) => !target.holds) ? { ...row, note } : row
  const sameRuntime = (subject: string, baseline: string): ReadonlyArray<Target> => [
    atLeast("req/s vs bare", ratio(figures, subject, baseline, "req/s"), TARGETS.sameRuntimeReqShare)
  ]
  const bunTargets: ReadonlyArray<Target> = [
    atLeast(`req/s vs bare (1: >= ${TARGETS.bunReqShare}, aim ${TARGETS.bunReqAim.toFixed(1)})`, ratio(figures, SUBJECTS.bun, SUBJECTS.bareBun, "req/s"), TARGETS.bunReqShare),
    atMost("cpu us/req vs bare", ratio(figures, SUBJECTS.bun, SUBJECTS.bareBun, "cpu us/req"), TARGETS.bunCpuRatio),
    atMost("p99 vs bare", ratio(figures, SUBJECTS.bun, SUBJECTS.bareBun, "p99 ms"), TARGETS.bunP99Ratio),
    atLeast(`req/s vs @octokit/webhooks (2: > ${TARGETS.octokitRatio})`, ratio(figures, SUBJECTS.bun, SUBJECTS.octokit, "req/s"), TARGETS.octokitRatio)
  ]
  return ([
    { section, subject: SUBJECTS.bareBun, figures: of(SUBJECTS.bareBun) },
    noted({ section, subject: SUBJECTS.bun, figures: of(SUBJECTS.bun), baseline: SUBJECTS.bareBun, targets: bunTargets }, NOTES.bun),
    { section, subject: SUBJECTS.bareNode, figures: of(SUBJECTS.bareNode) },
    noted({ section, subject: SUBJECTS.node, figures: of(SUBJECTS.node), baseline: SUBJECTS.bareNode, targets: sameRuntime(SUBJECTS.node, SUBJECTS.bareNode) }, NOTES.node),
    { section, subject: SUBJECTS.bareDeno, figures: of(SUBJECTS.bareDeno) },
    noted({ section, subject: SUBJECTS.deno, figures: of(SUBJECTS.deno), baseline: SUBJECTS.bareDeno, targets: sameRuntime(SUBJECTS.deno, SUBJECTS.bareDeno) }, NOTES.deno),
    { section, subject: SUBJECTS.octokit, figures: of(SUBJECTS.octokit), baseline: SUBJECTS.bareNode },
    { section, subject: SUBJECTS.bolt, figures: of(SUBJECTS.bolt), baseline: SUBJECTS.bareNode }
  ] satisfies ReadonlyArray<BenchRow>).filter((row) => chosen.some((subject) => subject.name === row.subject)).map(failed)
}
