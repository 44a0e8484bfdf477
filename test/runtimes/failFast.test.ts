/**
 * Bun, Deno and Node refuse to start with a missing setting: one message naming each missing
 * variable and how to set it, a non-zero exit, and no "listening" line (nothing answers 503).
 */
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { base64Encode } from "../../kernel/encoding/Encoding.ts"
import { bin, freePort, inheritedEnv, repoRoot } from "../matrix/processes.ts"

const runDir = mkdtempSync(join(tmpdir(), "switchboard-failfast-"))
afterAll(() => rmSync(runDir, { recursive: true, force: true }))

const commands = {
  node: { command: bin("tsx"), args: ["runtimes/node/main.ts"] },
  bun: { command: bin("bun"), args: ["runtimes/bun/main.ts"] },
  deno: { command: bin("deno"), args: ["run", "-A", "--no-prompt", "runtimes/deno/main.ts"] }
} as const

interface Ended {
  readonly code: number | null
  readonly output: string
}

/** Runs to its end (or is killed after `timeoutMs`, which the caller sees as a null code). */
const run = (command: string, args: ReadonlyArray<string>, env: Record<string, string>, timeoutMs: number) =>
  new Promise<Ended>((resolveRun, reject) => {
    const child = spawn(command, [...args], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => output += chunk.toString())
    child.stderr.on("data", (chunk: Buffer) => output += chunk.toString())
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.once("error", reject)
    child.once("close", (code) => {
      clearTimeout(timer)
      resolveRun({ code, output })
    })
  })

describe.each(Object.entries(commands))("%s entrypoint", (name, { command, args }) => {
  it("exits non-zero with one message naming every missing variable, without listening", async () => {
    const port = await freePort()
    const ended = await run(command, args, {
      ...inheritedEnv(),
      NO_COLOR: "1",
      DENO_NO_UPDATE_CHECK: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      SWITCHBOARD_DATABASE: join(runDir, `${name}.sqlite`),
      // Present: only the public URL and the signing key are missing.
      SWITCHBOARD_VAULT_KEYS: `k1:${base64Encode(new Uint8Array(32).fill(1))}`
    }, 60_000)
    expect(ended.code, ended.output).not.toBe(0)
    expect(ended.code, ended.output).not.toBeNull()
    expect(ended.output).toContain(`switchboard (${name}) cannot start: 2 settings need attention`)
    expect(ended.output).toContain("SWITCHBOARD_PUBLIC_URL is missing: the http(s) URL vendors and agents reach")
    expect(ended.output).toContain(
      "MCP_SIGNING_KEY is missing: 32+ random bytes; `npx switchboard keys generate` prints one"
    )
    expect(ended.output).not.toContain("SWITCHBOARD_VAULT_KEYS")
    expect(ended.output).not.toContain("listening")
    expect(ended.output).not.toContain("ConfigError")
  }, 90_000)
})
