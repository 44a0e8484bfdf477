/**
 * Acceptance 6 (conformance): `npm run mcp:conformance` runs the official suite in server mode
 * against `/mcp`; every scenario that applies to a tools-only stateless server passes, DNS
 * rebinding protection (Host/Origin) included, and every other one is printed with its reason.
 * The first run installs the suite's own toolchain (Node 22) with `npm ci`.
 */
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..", "..")

const Results = Schema.Array(Schema.Struct({
  scenario: Schema.String,
  passed: Schema.Boolean,
  applicable: Schema.Boolean,
  reason: Schema.optional(Schema.String),
  failures: Schema.Array(Schema.String)
}))

const runScript = () =>
  new Promise<{ readonly code: number | null; readonly output: string }>((resolve, reject) => {
    const child = spawn(join(root, "node_modules", ".bin", "tsx"), ["scripts/mcp-conformance.ts"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()))
    child.once("error", reject)
    child.once("close", (code) => resolve({ code, output }))
  })

describe("MCP conformance", () => {
  it("every applicable scenario of the official suite passes, DNS rebinding included", { timeout: 300_000 }, async () => {
    const { code, output } = await runScript()
    const summary = output.split("\n").filter((line) => !line.startsWith("{")).join("\n")
    expect(code, summary).toBe(0)
    const results = Schema.decodeUnknownSync(Schema.fromJsonString(Results))(
      readFileSync(join(root, "test-artifacts", "mcp-conformance", "results.json"), "utf8")
    )
    expect(results.length, summary).toBeGreaterThanOrEqual(30)
    for (const result of results) {
      if (result.applicable) expect(result.passed, `${result.scenario}: ${result.failures.join("; ")}`).toBe(true)
      else expect(result.reason, result.scenario).toMatch(/\w/)
      // The printed report names every scenario, with its reason when it does not apply.
      expect(summary, result.scenario).toContain(result.applicable ? `PASS  ${result.scenario}` : `n/a   ${result.scenario}`)
    }
    const applicable = results.filter((result) => result.applicable).map((result) => result.scenario)
    expect(applicable).toEqual(expect.arrayContaining(["server-initialize", "ping", "tools-list", "dns-rebinding-protection"]))
  })
})
