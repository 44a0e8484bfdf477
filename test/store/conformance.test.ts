/**
 * The store conformance suite on four engines, each case reported per engine: better-sqlite3 in
 * this Node process, and bun:sqlite (Bun), node:sqlite (Deno) and D1 (workerd, via wrangler) in
 * child processes started together before the first test, so they overlap. All offline.
 */
import { spawn } from "node:child_process"
import { join } from "node:path"
import { afterAll, beforeAll, describe, it } from "vitest"
import { driver } from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import { type CaseResult, caseNames, type Engine } from "./conformance.ts"
import { RESULTS_MARKER, runSqlite } from "./runSqlite.ts"

const root = join(import.meta.dirname, "..", "..")
const bin = (name: string) => join(root, "node_modules", ".bin", name)
const CHILD_TIMEOUT_MS = 110_000

interface Outcome {
  readonly results: ReadonlyMap<string, CaseResult>
  /** Why results are missing: the exit status and the tail of the child's output. */
  readonly diagnosis: string
}

const isResult = (value: unknown): value is CaseResult =>
  typeof value === "object" && value !== null && "name" in value && typeof value.name === "string" &&
  "ok" in value && typeof value.ok === "boolean"

const parseResults = (stdout: string): ReadonlyArray<CaseResult> => {
  const line = stdout.split("\n").find((candidate) => candidate.startsWith(RESULTS_MARKER))
  if (line === undefined) return []
  const parsed: unknown = JSON.parse(line.slice(RESULTS_MARKER.length))
  return Array.isArray(parsed) ? parsed.filter(isResult) : []
}

/** Runs a child to completion; never rejects, so a crash shows up in each case's failure. */
const runChild = (command: string, args: ReadonlyArray<string>): Promise<Outcome> =>
  new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS)
    const settle = (status: string) => {
      clearTimeout(timer)
      let results: ReadonlyArray<CaseResult> = []
      let parseError = ""
      try {
        results = parseResults(stdout)
      } catch (error) {
        parseError = `unparsable results: ${String(error)}\n`
      }
      const output = `${stdout}\n${stderr}`.trim().split("\n").slice(-30).join("\n")
      resolve({
        results: new Map(results.map((result) => [result.name, result])),
        diagnosis: `${[command, ...args].join(" ")} ${status}\n${parseError}${output}`
      })
    }
    child.on("error", (error) => settle(`could not start: ${error.message}`))
    child.on("close", (code, signal) => settle(signal === null ? `exited with ${code}` : `killed by ${signal}`))
  })

const children = {
  "bun:sqlite (Bun)": { engine: "sqlite", start: () => runChild(bin("bun"), ["test/store/run-bun.ts"]) },
  "node:sqlite (Deno)": {
    engine: "sqlite",
    start: () => runChild(bin("deno"), ["run", "-A", "--node-modules-dir=manual", "test/store/run-deno.ts"])
  },
  "D1 (workerd)": { engine: "d1", start: () => runChild(bin("tsx"), ["test/store/run-d1.ts"]) }
} satisfies Record<string, { readonly engine: Engine; readonly start: () => Promise<Outcome> }>

const outcomes = new Map<string, Promise<Outcome>>()

beforeAll(() => {
  // Not awaited: the children run while the in-process cases do.
  for (const [label, child] of Object.entries(children)) outcomes.set(label, child.start())
})

// Even when a filter skips their cases: a child orphaned mid-run would leave workerd and temp files.
afterAll(async () => {
  await Promise.all(outcomes.values())
})

describe("better-sqlite3 (Node)", () => {
  let results: Promise<ReadonlyMap<string, CaseResult>> | undefined
  const resultsOnce = () =>
    (results ??= runSqlite(driver).then((list) => new Map(list.map((result) => [result.name, result]))))
  for (const name of caseNames("sqlite")) {
    it(name, async () => {
      const result = (await resultsOnce()).get(name)
      if (result === undefined) throw new Error("the case did not run")
      if (!result.ok) throw new Error(result.error ?? "failed")
    })
  }
})

for (const [label, child] of Object.entries(children)) {
  describe(label, () => {
    for (const name of caseNames(child.engine)) {
      it(name, async () => {
        const outcome = await outcomes.get(label)
        if (outcome === undefined) throw new Error("the child process was not started")
        const result = outcome.results.get(name)
        if (result === undefined) throw new Error(`no result for this case\n${outcome.diagnosis}`)
        if (!result.ok) throw new Error(result.error ?? "failed")
      })
    }
  })
}
