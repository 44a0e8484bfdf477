/**
 * `switchboard workers check`: the findings for a Workers deployment's settings (pure, over what
 * was read), and the command over a real wrangler.toml and .dev.vars in a temp folder.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { checkDeployment, type Finding } from "../../bin/cli/WorkersCheck.ts"
import type { Deployment, Live } from "../../bin/cli/WorkersDeployment.ts"
import { generateKeys } from "../../bin/cli/Keys.ts"
import { runCli, tempDir } from "./support.ts"

const keys = generateKeys(undefined)
const deployed: Deployment = {
  configPath: "wrangler.toml",
  vars: { SWITCHBOARD_PUBLIC_URL: "https://switchboard.acme.workers.dev", SWITCHBOARD_SESSIONS_URL: "https://agents.acme.dev/sessions" },
  secrets: new Map(["MCP_SIGNING_KEY", "SWITCHBOARD_VAULT_KEYS", "SWITCHBOARD_ADMIN_TOKEN", "LINEAR_WEBHOOK_SECRET", "SLACK_SIGNING_SECRET", "GITHUB_WEBHOOK_SECRET", "JIRA_WEBHOOK_SECRET"].map((name) => [name, undefined])),
  databaseId: "6f1d3c57-8f0e-4d55-9a43-2f1e0d9b7c11",
  serviceBindings: [],
  local: false
}
const problems = (findings: ReadonlyArray<Finding>) => findings.filter((finding) => finding.level === "problem").map((finding) => finding.text)
const notes = (findings: ReadonlyArray<Finding>) => findings.filter((finding) => finding.level === "note").map((finding) => finding.text)

describe("workers check: findings", () => {
  it("a complete deployment has no problems and no notes", () => {
    const findings = checkDeployment(deployed, undefined)
    expect(problems(findings)).toEqual([])
    expect(notes(findings)).toEqual([])
  })

  it("names each missing required secret with the wrangler command that sets it", () => {
    const secrets = new Map(deployed.secrets)
    secrets.delete("MCP_SIGNING_KEY")
    secrets.delete("SWITCHBOARD_VAULT_KEYS")
    const found = problems(checkDeployment({ ...deployed, secrets }, undefined))
    expect(found).toHaveLength(2)
    expect(found[0]).toMatch(/^MCP_SIGNING_KEY is missing: .*→ npx wrangler secret put MCP_SIGNING_KEY$/)
    expect(found[1]).toMatch(/^SWITCHBOARD_VAULT_KEYS is missing: .*→ npx wrangler secret put SWITCHBOARD_VAULT_KEYS$/)
  })

  it("refuses a public URL on localhost for a deployed Worker, and one that is not where the Worker answers", () => {
    const local = { ...deployed, vars: { ...deployed.vars, SWITCHBOARD_PUBLIC_URL: "http://localhost:8787" } }
    expect(problems(checkDeployment(local, undefined)).join("\n")).toContain("SWITCHBOARD_PUBLIC_URL is http://localhost:8787: OAuth redirects")
    const live: Live = { url: "https://switchboard.other.workers.dev", health: { status: 200 }, integrations: [] }
    expect(problems(checkDeployment(deployed, live))).toEqual([
      "SWITCHBOARD_PUBLIC_URL is https://switchboard.acme.workers.dev, but the Worker answers at https://switchboard.other.workers.dev → set SWITCHBOARD_PUBLIC_URL in [vars] of wrangler.toml, then npx wrangler deploy"
    ])
  })

  it("refuses a secret kept in [vars], the zero database_id and a missing one", () => {
    const leaky = { ...deployed, vars: { ...deployed.vars, LINEAR_CLIENT_SECRET: "oops" } }
    expect(problems(checkDeployment(leaky, undefined))).toEqual([
      "LINEAR_CLIENT_SECRET is in [vars], which the dashboard shows and git keeps: remove it there → npx wrangler secret put LINEAR_CLIENT_SECRET"
    ])
    expect(problems(checkDeployment({ ...deployed, databaseId: "00000000-0000-0000-0000-000000000000" }, undefined))[0]).toContain("all-zero placeholder")
    expect(problems(checkDeployment({ ...deployed, databaseId: undefined }, undefined))[0]).toContain("npx wrangler deploy (it creates the D1 database")
    expect(problems(checkDeployment({ ...deployed, databaseId: null }, undefined))[0]).toContain("No D1 binding named DB")
  })

  it("says where dispatches go: a URL, a service binding that must exist, or only the log", () => {
    const { SWITCHBOARD_SESSIONS_URL: _url, ...noUrl } = deployed.vars
    expect(notes(checkDeployment({ ...deployed, vars: noUrl }, undefined))[0]).toMatch(/^Dispatches are only logged/)
    const bound = { ...deployed, vars: { ...noUrl, SWITCHBOARD_SESSIONS_BINDING: "AGENTS" } }
    expect(problems(checkDeployment(bound, undefined))[0]).toContain("AGENTS, which is not a [[services]] binding")
    expect(checkDeployment({ ...bound, serviceBindings: ["AGENTS"] }, undefined)).toContainEqual({ level: "ok", text: "Dispatches go through the service binding AGENTS" })
  })

  it("reports the running Worker: 503 is a problem, unconfigured providers are notes naming their settings", () => {
    const live: Live = {
      url: "https://switchboard.acme.workers.dev",
      health: { status: 503 },
      integrations: [
        { id: "linear", displayName: "Linear", configured: true, needs: [] },
        { id: "slack", displayName: "Slack", configured: false, needs: ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"] }
      ]
    }
    const findings = checkDeployment(deployed, live)
    expect(problems(findings)).toEqual(["https://switchboard.acme.workers.dev/health answers 503: the Worker cannot use its settings → npx wrangler tail shows why"])
    expect(notes(findings)).toEqual([
      "Slack is not configured (the Console says so) → set SLACK_CLIENT_ID in [vars] of wrangler.toml, then npx wrangler deploy; npx wrangler secret put SLACK_CLIENT_SECRET"
    ])
    expect(findings).toContainEqual({ level: "ok", text: "Linear can be installed" })
  })

  it("locally, checks the .dev.vars values themselves", () => {
    const local: Deployment = { ...deployed, local: true, vars: { SWITCHBOARD_PUBLIC_URL: "http://localhost:8787" }, secrets: new Map([["MCP_SIGNING_KEY", keys["MCP_SIGNING_KEY"]!], ["SWITCHBOARD_VAULT_KEYS", "k1:not-32-bytes"]]) }
    const found = problems(checkDeployment(local, undefined))
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(/^SWITCHBOARD_VAULT_KEYS is invalid .*→ add SWITCHBOARD_VAULT_KEYS=\.\.\. to \.dev\.vars$/)
  })
})

describe("workers check: the command", () => {
  const folder = tempDir()
  afterAll(() => folder.remove())

  it("reads wrangler.toml and .dev.vars with --local, prints each finding and exits 0 when nothing must be fixed", async () => {
    mkdirSync(join(folder.path, "ok"))
    writeFileSync(join(folder.path, "ok", "wrangler.toml"), [
      `name = "sb"`, `main = "main.ts"`, `compatibility_date = "2026-05-01"`,
      `[vars]`, `SWITCHBOARD_PUBLIC_URL = "http://localhost:8787"`,
      `[[d1_databases]]`, `binding = "DB"`, `database_name = "sb"`
    ].join("\n"))
    writeFileSync(join(folder.path, "ok", ".dev.vars"), Object.entries(keys).map(([name, value]) => `${name}=${value}`).join("\n"))
    const result = await runCli(["workers", "check", "--local"], { cwd: join(folder.path, "ok") })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain("✓ MCP_SIGNING_KEY, SWITCHBOARD_VAULT_KEYS and SWITCHBOARD_PUBLIC_URL are set")
    expect(result.stdout).toContain("! Dispatches are only logged")
    expect(result.stderr).toContain("wrangler dev is configured")
  })

  it("exits 1 with the fixes when the Worker's settings are incomplete", async () => {
    mkdirSync(join(folder.path, "bad"))
    writeFileSync(join(folder.path, "bad", "wrangler.toml"), [`name = "sb"`, `main = "main.ts"`, `compatibility_date = "2026-05-01"`].join("\n"))
    const result = await runCli(["workers", "check", "--local"], { cwd: join(folder.path, "bad") })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("✗ SWITCHBOARD_PUBLIC_URL is missing")
    expect(result.stdout).toContain("✗ No D1 binding named DB")
    expect(result.stderr).toContain("things need fixing")
  })
})
