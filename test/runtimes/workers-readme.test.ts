/**
 * The README's Workers section, run as written: its `workers: local` block (local D1, secrets in
 * .dev.vars, `wrangler dev`, `switchboard workers check`, the first tenant) and its
 * `workers: first dispatch` block, in a fresh folder with a copy of wrangler.toml, against
 * `wrangler dev` with local D1. What a person does in between (install Linear in the Console,
 * publish an agent) the matrix's actors do over HTTP, with the matrix's fake Linear standing in
 * for Linear: its app settings are what the README tells the reader to add to .dev.vars.
 *
 * The only edits to the README's lines: `npx` runs this repository's own tools (never the
 * registry), the ports are free ones instead of 8787 and 9000, and `simulate` gets `--sandbox`
 * so the issue it names exists in the fake.
 */
import { spawn } from "node:child_process"
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { parseEnv } from "node:util"
import { afterAll, describe, expect, it } from "vitest"
import { makeActors } from "../matrix/actors.ts"
import { makeRuntimeClient } from "../matrix/client.ts"
import { type Fakes, startFakes } from "../matrix/fakes.ts"
import { freshSecrets, type MatrixContext } from "../matrix/harness.ts"
import { bin, freePort, inheritedEnv, repoRoot, type Server, startServer, tail } from "../matrix/processes.ts"
import { type SessionReceiver, startSessionReceiver } from "../matrix/SessionReceiver.ts"

const readme = readFileSync(join(repoRoot, "README.md"), "utf8")

/** The shell lines of the README's ```sh block after `<!-- workers: NAME -->`. */
const block = (name: string): ReadonlyArray<string> => {
  const body = new RegExp(`<!-- workers: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1]
  if (body === undefined) throw new Error(`README.md has no "workers: ${name}" block`)
  return body.split("\n").filter((line) => line.trim().length > 0)
}

interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

describe("the README's Workers section, against wrangler dev with local D1", { timeout: 240_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), "switchboard-workers-readme-"))
  let fakes: Fakes | undefined
  let receiver: SessionReceiver | undefined
  let worker: Server | undefined
  afterAll(async () => {
    await worker?.stop()
    await receiver?.close()
    await fakes?.close()
    rmSync(work, { recursive: true, force: true })
  })

  it("checks the configuration, creates a tenant, and a signed webhook reaches the local sink", async () => {
    const [port, inspectorPort, sinkPort] = [await freePort(), await freePort(), await freePort()]
    const baseUrl = `http://127.0.0.1:${port}`
    const logFile = join(work, "wrangler.log")
    const adapt = (line: string) =>
      line.replaceAll("http://localhost:8787", baseUrl).replaceAll("http://localhost:9000", `http://127.0.0.1:${sinkPort}`)

    // The repository's wrangler.toml, from a folder of its own: paths made absolute, wrangler dev's port fixed.
    const config = readFileSync(join(repoRoot, "wrangler.toml"), "utf8")
      .replace(/^main\s*=\s*"([^"]*)"/m, (_line, main: string) => `main = ${JSON.stringify(resolve(repoRoot, main))}`)
      .replace(/^migrations_dir\s*=\s*"([^"]*)"/m, (_line, dir: string) => `migrations_dir = ${JSON.stringify(resolve(repoRoot, dir))}`)
      .replace(/^command\s*=\s*"node ([^"]*)"/m, (_line, script: string) => `command = ${JSON.stringify(`node ${resolve(repoRoot, script)}`)}`)
      .replace(/^("[^"]+"\s*=\s*)"(\.\/[^"]*)"/gm, (_line, key: string, path: string) => `${key}${JSON.stringify(resolve(repoRoot, path))}`)
    writeFileSync(join(work, "wrangler.toml"), `${adapt(config)}\n[dev]\nip = "127.0.0.1"\nport = ${port}\ninspector_port = ${inspectorPort}\n`)

    // The reader's Linear app, here the fake's.
    const secrets = freshSecrets()
    fakes = await startFakes(secrets)
    writeFileSync(join(work, ".dev.vars"), [
      `LINEAR_CLIENT_ID=${secrets.linearClientId}`,
      `LINEAR_CLIENT_SECRET=${secrets.linearClientSecret}`,
      `LINEAR_API_URL=${fakes.linear.url}`,
      `LINEAR_OAUTH_URL=${fakes.linear.url}`
    ].join("\n") + "\n")

    // `npx <tool>`: this checkout's switchboard and node_modules/.bin, never a download.
    mkdirSync(join(work, "bin"))
    writeFileSync(join(work, "bin", "npx"), [
      "#!/bin/sh",
      "tool=$1; shift",
      `if [ "$tool" = switchboard ]; then exec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(repoRoot, "bin", "switchboard.js"))} "$@"; fi`,
      `exec ${JSON.stringify(join(repoRoot, "node_modules", ".bin"))}/"$tool" "$@"`
    ].join("\n") + "\n")
    chmodSync(join(work, "bin", "npx"), 0o755)
    const env = {
      ...inheritedEnv(),
      PATH: `${join(work, "bin")}:${process.env["PATH"] ?? ""}`,
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_LOG_PATH: join(work, "wrangler-logs"),
      CI: "true",
      NO_COLOR: "1"
    }
    const shell = (lines: ReadonlyArray<string>) =>
      new Promise<Ran>((resolveRun, reject) => {
        const child = spawn("bash", ["-e", "-c", lines.join("\n")], { cwd: work, env, stdio: ["ignore", "pipe", "pipe"] })
        let stdout = ""
        let stderr = ""
        child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
        child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
        const timer = setTimeout(() => child.kill("SIGKILL"), 150_000)
        child.once("error", reject)
        child.once("close", (code) => {
          clearTimeout(timer)
          resolveRun({ code, stdout, stderr })
        })
      })

    const local = block("local").map(adapt)
    const devLine = local.findIndex((line) => /^npx wrangler dev\b/.test(line))
    expect(devLine).toBeGreaterThan(0)
    const setup = await shell(local.slice(0, devLine))
    expect(setup.code, setup.stderr).toBe(0)

    // The agent platform the README's SWITCHBOARD_SESSIONS_URL names, checking the dispatch signature.
    const devVars = parseEnv(readFileSync(join(work, ".dev.vars"), "utf8"))
    receiver = await startSessionReceiver({ secret: devVars["MCP_SIGNING_KEY"] ?? "", port: sinkPort })

    const devCommand = local[devLine]!.replace(/\s*&.*$/, "").split(/\s+/)
    expect(devCommand.slice(0, 3)).toEqual(["npx", "wrangler", "dev"])
    worker = startServer({ command: bin("wrangler"), args: devCommand.slice(2), env, cwd: work }, logFile)

    const rest = await shell(local.slice(devLine + 1))
    expect(rest.code, `${rest.stdout}\n${rest.stderr}\n${tail(logFile)}`).toBe(0)
    // The configuration check passed, having asked the running Worker too.
    expect(rest.stderr).toContain("✓ wrangler dev is configured")
    expect(rest.stdout).toContain(`✓ ${baseUrl}/health answers 200`)
    expect(rest.stdout).toContain(`✓ Dispatches are POSTed (signed) to http://127.0.0.1:${sinkPort}/sessions`)
    expect(rest.stdout).toContain("✓ Linear can be installed")
    expect(rest.stdout).not.toContain("✗")
    // The tenant exists: its key opens the Console.
    const apiKey = /#key=(sbk_\S+)/.exec(rest.stdout)?.[1]
    expect(apiKey, rest.stdout).toBeDefined()

    // In the Console: install Linear, publish an agent.
    const context = (): MatrixContext => ({
      baseUrl,
      secrets: { ...secrets, adminToken: devVars["SWITCHBOARD_ADMIN_TOKEN"] ?? "" },
      fakes: { ...fakes!, sessions: receiver! },
      env: Object.fromEntries(Object.entries(devVars).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      logs: () => tail(logFile)
    })
    const actors = makeActors(context, makeRuntimeClient(() => baseUrl))
    const installationId = await actors.installLinear(apiKey!)
    await actors.createPublication(apiKey!, installationId, "readme-agent", ["issues:read", "comments:write"])

    // The first dispatch, in the same terminal: the env the local block exported, then the README's line.
    const exported = local.filter((line) => line.startsWith("set -a"))
    const dispatch = block("first dispatch").map(adapt).map((line) =>
      line.startsWith("npx switchboard simulate") ? `${line} --sandbox ${fakes!.linear.url}` : line
    )
    const simulated = await shell([...exported, `export SWITCHBOARD_API_KEY=${apiKey}`, ...dispatch])
    expect(simulated.code, `${simulated.stderr}\n${tail(logFile)}`).toBe(0)
    expect(simulated.stderr).toMatch(/dispatch to readme-agent delivered/)
    const [received] = await receiver.waitFor(1, 30_000)
    expect(received!.delivery.dispatch.agentId).toBe("readme-agent")
    expect(received!.delivery.dispatch.deliveryId).toBe(simulated.stdout.trim().split("\n")[0])
  })
})
