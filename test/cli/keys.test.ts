/** `switchboard keys generate`: fresh secrets the kernel accepts, rotation, formats, errors. */
import { afterAll, describe, expect, it } from "vitest"
import { base64Decode } from "../../kernel/encoding/Encoding.ts"
import { runCli, spawnCli, tempDir } from "./support.ts"

const folder = tempDir()
afterAll(() => folder.remove())

const envLines = (stdout: string) => Object.fromEntries(stdout.trim().split("\n").map((line) => {
  const separator = line.indexOf("=")
  return [line.slice(0, separator), line.slice(separator + 1)]
}))

describe("switchboard keys generate", () => {
  it("prints a 32-byte signing key, a 32-byte vault key with a dated id and an admin token", async () => {
    const result = await runCli(["keys", "generate"], { cwd: folder.path })
    expect(result.code).toBe(0)
    const env = envLines(result.stdout)
    expect(Object.keys(env)).toEqual(["MCP_SIGNING_KEY", "SWITCHBOARD_VAULT_KEYS", "SWITCHBOARD_ADMIN_TOKEN"])
    expect(base64Decode(env["MCP_SIGNING_KEY"]!)?.length).toBe(32)
    const [id, key] = env["SWITCHBOARD_VAULT_KEYS"]!.split(":")
    expect(id).toMatch(/^k\d{8}$/)
    expect(base64Decode(key!)?.length).toBe(32)
    expect(env["SWITCHBOARD_ADMIN_TOKEN"]).toMatch(/^sba_[A-Za-z0-9_-]{32}$/)
    // Secrets only on stdout; the note on stderr.
    expect(result.stderr).toContain("Keep them secret")
    expect(result.stderr).not.toContain(env["MCP_SIGNING_KEY"]!)
    const again = envLines((await runCli(["keys", "generate"], { cwd: folder.path })).stdout)
    expect(again["MCP_SIGNING_KEY"]).not.toBe(env["MCP_SIGNING_KEY"])
  })

  it("rotates: the new vault key first, the current ones kept after it", async () => {
    const current = `k1:${btoa("a".repeat(32))},k0:${btoa("b".repeat(32))}`
    const result = await runCli(["keys", "generate", "--rotate", current, "--format", "json"], { cwd: folder.path })
    expect(result.code).toBe(0)
    const keys: Record<string, string> = JSON.parse(result.stdout)
    const entries = keys["SWITCHBOARD_VAULT_KEYS"]!.split(",")
    expect(entries).toHaveLength(3)
    expect(entries.slice(1)).toEqual(current.split(","))
    expect(entries[0]).toMatch(/^k\d{8}:/)
  })

  it("refuses a malformed key to rotate and an unknown format", async () => {
    const badKey = await runCli(["keys", "generate", "--rotate", "k1:c2hvcnQ="], { cwd: folder.path })
    expect(badKey.code).toBe(1)
    expect(badKey.stderr).toContain('vault key "k1" is not 32 bytes')
    const badFormat = await runCli(["keys", "generate", "--format", "yaml"], { cwd: folder.path })
    expect(badFormat.code).toBe(1)
    expect(badFormat.stderr).toContain("--format is env or json")
    const badOption = await runCli(["keys", "generate", "--bogus"], { cwd: folder.path })
    expect(badOption.code).toBe(1)
    expect(badOption.stderr).toContain("switchboard keys generate --help")
  })

  it("runs through the installed entrypoint (bin/switchboard.js with tsx)", () => {
    const result = spawnCli(["keys", "generate"], { cwd: folder.path })
    expect(result.stderr).toContain("Generated")
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^MCP_SIGNING_KEY=/)
    const help = spawnCli(["--help"], { cwd: folder.path })
    expect(help.code).toBe(0)
    for (const command of ["simulate", "keys generate", "manifest", "migrate", "tenants create", "api-keys create"]) {
      expect(help.stdout).toContain(command)
    }
    const unknown = spawnCli(["frobnicate"], { cwd: folder.path })
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('Unknown command "frobnicate"')
  })
})
