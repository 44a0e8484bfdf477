/**
 * The build's one run of the Node entry, which leaves V8's code cache of `app-sqlite.cjs` beside
 * it (runtimes/node/launch.ts writes it at exit): started on a scratch SQLite file, asked for
 * `/health` and sent one signed Linear webhook, then stopped with SIGINT as a supervisor would.
 * The cache then holds the bytecode of what a start and a webhook run; what else runs later is
 * compiled when first called, as without a cache. Throwaway keys and secret, no network beyond
 * loopback. V8 refuses a cache made under other V8 flags (`--max-old-space-size` ...): NODE_OPTIONS
 * is passed on, so a build run with the production's NODE_OPTIONS leaves a cache it takes.
 */
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { signedLinearComment } from "./signedLinearComment.ts"

const secret = randomBytes(24).toString("hex")

const env = (database: string): Record<string, string> => ({
  PATH: process.env["PATH"] ?? "",
  ...(process.env["NODE_OPTIONS"] === undefined ? {} : { NODE_OPTIONS: process.env["NODE_OPTIONS"] }),
  PORT: "0",
  HOST: "127.0.0.1",
  SWITCHBOARD_DATABASE: database,
  SWITCHBOARD_PUBLIC_URL: "http://127.0.0.1",
  MCP_SIGNING_KEY: randomBytes(32).toString("base64url"),
  SWITCHBOARD_VAULT_KEYS: `k1:${randomBytes(32).toString("base64")}`,
  LINEAR_WEBHOOK_SECRET: secret,
  NO_COLOR: "1"
})

const linearWebhook = (): RequestInit => ({ method: "POST", ...signedLinearComment(secret, "build") })

/** Runs `entry` once as described above; throws unless it answered both and left a cache. */
export const trainCodeCache = async (entry: string): Promise<void> => {
  const scratch = mkdtempSync(join(tmpdir(), "switchboard-code-cache-"))
  const child = spawn(process.execPath, [entry], { env: env(join(scratch, "train.sqlite")), stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  child.stdout.setEncoding("utf8").on("data", (text: string) => output += text)
  child.stderr.setEncoding("utf8").on("data", (text: string) => output += text)
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)))
  const fail = (why: string) => new Error(`code cache run of ${entry}: ${why}\n${output}`)
  try {
    const deadline = Date.now() + 30_000
    let port: string | undefined
    while ((port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]) === undefined) {
      if (child.exitCode !== null || Date.now() > deadline) throw fail("did not listen")
      await new Promise((resolveWait) => setTimeout(resolveWait, 10))
    }
    const health = await fetch(`http://127.0.0.1:${port}/health`)
    await health.arrayBuffer()
    if (health.status !== 200) throw fail(`/health answered ${health.status}`)
    const webhook = await fetch(`http://127.0.0.1:${port}/webhook/linear`, linearWebhook())
    await webhook.arrayBuffer()
    if (webhook.status !== 200) throw fail(`the webhook was answered ${webhook.status}`)
    child.kill("SIGINT")
    if (await exited !== 0) throw fail("did not stop cleanly")
    if (!readdirSync(dirname(entry)).some((file) => /^app-sqlite\.\w+\.v8cache$/.test(file))) throw fail("wrote no code cache")
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL")
    rmSync(scratch, { recursive: true, force: true })
  }
}
