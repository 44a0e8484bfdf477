/**
 * Starts one runtime entrypoint as a child process for the black-box suite: a free loopback
 * port, fresh secrets, a temp database, env pointing at the fakes; waits for `GET /health`;
 * stops the whole process group. Output goes to a log file that is copied to
 * test-artifacts/matrix/ when something failed.
 *
 * Workers run under `wrangler dev` with local D1: the Worker is bundled first (`wrangler deploy
 * --dry-run --outdir`), served unbundled from a temp config, migrations are applied with
 * `wrangler d1 migrations apply DB --local` into a per-run `--persist-to` directory, and the env
 * is handed over as a generated `--env-file`.
 */
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { randomBytes } from "node:crypto"
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, afterEach, beforeAll } from "vitest"
import { startFakes } from "./fakes.ts"
import type { Fakes } from "./fakes.ts"
import type { MatrixContext } from "./suite.ts"

export type RuntimeName = "node" | "bun" | "deno" | "workers"

export const repoRoot = resolve(import.meta.dirname, "../..")
const bin = (name: string) => join(repoRoot, "node_modules/.bin", name)

export interface Secrets {
  readonly signingKey: string
  readonly vaultKeys: string
  readonly adminToken: string
  readonly linearClientId: string
  readonly linearClientSecret: string
  readonly linearWebhookSecret: string
}

export const freshSecrets = (): Secrets => ({
  signingKey: randomBytes(32).toString("hex"),
  vaultKeys: `k1:${randomBytes(32).toString("base64")}`,
  adminToken: `adm_${randomBytes(24).toString("hex")}`,
  linearClientId: `client_${randomBytes(8).toString("hex")}`,
  linearClientSecret: randomBytes(24).toString("hex"),
  linearWebhookSecret: `lin_wh_${randomBytes(24).toString("hex")}`
})

/** A port the OS just handed out on loopback; closed again so the child can bind it. */
export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolvePort(port))
    })
  })

export interface RuntimeEnvInput {
  readonly secrets: Secrets
  readonly linearApiUrl: string
  readonly linearOAuthUrl: string
  readonly sessionsUrl: string
  readonly extra?: Readonly<Record<string, string>>
}

export interface RunningRuntime {
  readonly name: RuntimeName
  readonly baseUrl: string
  readonly logFile: string
  /** The log so far (for error messages). */
  readonly logs: () => string
  /** Copies the log to test-artifacts/matrix/<name>-<time>.log and returns that path. */
  readonly keepLogs: () => string
  readonly stop: () => Promise<void>
}

interface Command {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
}

export const defaultEntries: Readonly<Record<RuntimeName, string>> = {
  node: "runtimes/node/main.ts",
  bun: "runtimes/bun/main.ts",
  deno: "runtimes/deno/main.ts",
  workers: "runtimes/workers/main.ts"
}

const commandFor = (
  name: RuntimeName,
  entry: string,
  workDir: string,
  port: number,
  env: Record<string, string>
): Command => {
  switch (name) {
    case "node":
      return { command: bin("tsx"), args: [entry], env }
    case "bun":
      return { command: bin("bun"), args: [entry], env }
    case "deno":
      return {
        command: bin("deno"),
        args: ["run", "-A", "--no-prompt", entry],
        env: { ...env, DENO_NO_UPDATE_CHECK: "1" }
      }
    case "workers":
      return {
        command: bin("wrangler"),
        args: [
          "dev",
          "--config",
          join(workDir, "wrangler.toml"),
          "--ip",
          "127.0.0.1",
          "--port",
          String(port),
          "--persist-to",
          join(workDir, "state"),
          "--env-file",
          join(workDir, "worker.env"),
          "--show-interactive-dev-session=false",
          "--log-level",
          "info"
        ],
        env: wranglerEnv(workDir)
      }
  }
}

/**
 * The repo's wrangler.toml, pointed at a bundle built beforehand (`no_bundle`) and at the repo's
 * migrations. `wrangler dev` watches its entry's module graph and reloads on every change; the
 * prebuilt bundle in a temp folder keeps a run immune to edits made in the tree meanwhile.
 */
const workerConfig = (workDir: string): string => {
  const config = readFileSync(join(repoRoot, "wrangler.toml"), "utf8")
  const replaced = config
    .replace(/^main\s*=.*$/m, `main = ${JSON.stringify(join(workDir, "bundle", "main.js"))}\nno_bundle = true`)
    .replace(
      /^migrations_dir\s*=\s*"([^"]*)"/m,
      (_line, dir: string) => `migrations_dir = ${JSON.stringify(resolve(repoRoot, dir))}`
    )
  if (!replaced.includes("no_bundle = true") || !replaced.includes(repoRoot)) {
    throw new Error("wrangler.toml has no `main` or no `migrations_dir` line to rewrite")
  }
  return replaced
}

const wranglerEnv = (workDir: string): Record<string, string> => ({
  ...inheritedEnv(),
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_LOG_PATH: join(workDir, "wrangler-logs"),
  CI: "true",
  NO_COLOR: "1",
  FORCE_COLOR: "0"
})

/** The parent's env minus anything that could configure Switchboard behind the suite's back. */
const inheritedEnv = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue
    if (/^(SWITCHBOARD_|LINEAR_|MCP_|PORT$|HOST$|NODE_OPTIONS$|VITEST)/.test(name)) continue
    env[name] = value
  }
  return env
}

const dotenv = (values: Readonly<Record<string, string>>): string =>
  Object.entries(values).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join("\n") + "\n"

/** Runs a command to completion, appending its output to the log; fails with the log's tail. */
const runToCompletion = (command: Command, logFile: string, timeoutMs: number): Promise<void> =>
  new Promise((resolveRun, reject) => {
    const log = openSync(logFile, "a")
    const child = spawn(command.command, [...command.args], {
      cwd: repoRoot,
      env: command.env,
      stdio: ["ignore", log, log],
      detached: true
    })
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), timeoutMs)
    child.once("error", (error) => {
      clearTimeout(timer)
      closeSync(log)
      reject(error)
    })
    child.once("exit", (code, signal) => {
      clearTimeout(timer)
      closeSync(log)
      if (code === 0) resolveRun()
      else reject(new Error(`${command.command} ${command.args.join(" ")} exited with ${code ?? signal}\n${tail(logFile)}`))
    })
  })

const killGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // The group is gone already.
  }
}

const tail = (file: string, lines = 60): string => {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n")
  } catch {
    return "(no log)"
  }
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms))

export interface StartOptions {
  /** The entry file, relative to the repo (default: `defaultEntries[name]`). */
  readonly entry?: string
  /** How long the runtime may take to answer `GET /health` with 200. */
  readonly readyTimeoutMs?: number
}

/**
 * Ready means `GET /health` answers 200. A runtime that keeps answering something else for
 * `settleMs` is taken as started anyway (the suite's health case will then fail on its own),
 * so a broken kernel fails fast instead of waiting out the whole timeout.
 */
const waitUntilReady = async (
  baseUrl: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
  settleMs = 5_000
): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  let firstAnswerAt: number | undefined
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`runtime exited with ${child.exitCode ?? child.signalCode} before it was ready\n${tail(logFile)}`)
    }
    try {
      const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) })
      await response.arrayBuffer()
      if (response.status === 200) return
      firstAnswerAt ??= Date.now()
      if (Date.now() - firstAnswerAt >= settleMs) return
    } catch {
      // Not listening yet.
    }
    await sleep(200)
  }
  throw new Error(`runtime did not answer GET /health within ${timeoutMs} ms\n${tail(logFile)}`)
}

/** The webhook body limit every runtime under test runs with. */
export const maxBodyBytes = 64 * 1024

export const runtimeEnv = (port: number, databaseFile: string, input: RuntimeEnvInput): Record<string, string> => ({
  PORT: String(port),
  HOST: "127.0.0.1",
  SWITCHBOARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
  SWITCHBOARD_DATABASE: databaseFile,
  MCP_SIGNING_KEY: input.secrets.signingKey,
  SWITCHBOARD_VAULT_KEYS: input.secrets.vaultKeys,
  SWITCHBOARD_ADMIN_TOKEN: input.secrets.adminToken,
  LINEAR_CLIENT_ID: input.secrets.linearClientId,
  LINEAR_CLIENT_SECRET: input.secrets.linearClientSecret,
  LINEAR_WEBHOOK_SECRET: input.secrets.linearWebhookSecret,
  LINEAR_API_URL: input.linearApiUrl,
  LINEAR_OAUTH_URL: input.linearOAuthUrl,
  SWITCHBOARD_SESSIONS_URL: input.sessionsUrl,
  // Small, so the suite's oversized bodies stay small and quick on every runtime.
  SWITCHBOARD_MAX_BODY_BYTES: String(maxBodyBytes),
  ...input.extra
})

export const startRuntime = async (
  name: RuntimeName,
  input: RuntimeEnvInput,
  options: StartOptions = {}
): Promise<RunningRuntime> => {
  const entry = options.entry ?? defaultEntries[name]
  const runDir = mkdtempSync(join(tmpdir(), `switchboard-matrix-${name}-`))
  const workDir = join(runDir, "work")
  mkdirSync(workDir)
  const logFile = join(runDir, `${name}.log`)
  writeFileSync(logFile, "")
  const port = await freePort()
  const env = runtimeEnv(port, join(workDir, "switchboard.sqlite"), input)

  let command: Command
  if (name === "workers") {
    // The Worker gets only what it would get in production: vars and secrets, no process env.
    const { PORT: _port, HOST: _host, SWITCHBOARD_DATABASE: _database, ...workerVars } = env
    writeFileSync(join(workDir, "worker.env"), dotenv(workerVars), { mode: 0o600 })
    await runToCompletion(
      {
        command: bin("wrangler"),
        args: ["deploy", entry, "--dry-run", "--outdir", join(workDir, "bundle")],
        env: wranglerEnv(workDir)
      },
      logFile,
      120_000
    )
    writeFileSync(join(workDir, "wrangler.toml"), workerConfig(workDir))
    await runToCompletion(
      {
        command: bin("wrangler"),
        args: [
          "d1",
          "migrations",
          "apply",
          "DB",
          "--local",
          "--config",
          join(workDir, "wrangler.toml"),
          "--persist-to",
          join(workDir, "state")
        ],
        env: wranglerEnv(workDir)
      },
      logFile,
      60_000
    )
    command = commandFor(name, entry, workDir, port, env)
  } else {
    command = commandFor(name, entry, workDir, port, { ...inheritedEnv(), ...env, NO_COLOR: "1" })
  }

  const log = openSync(logFile, "a")
  const child = spawn(command.command, [...command.args], {
    cwd: repoRoot,
    env: command.env,
    stdio: ["ignore", log, log],
    // Its own process group, so stop() also reaches tsx's node, wrangler's workerd ...
    detached: true
  })
  closeSync(log)
  const exited = new Promise<void>((resolveExit) => {
    if (child.exitCode !== null) resolveExit()
    child.once("exit", () => resolveExit())
  })
  // If vitest dies, do not leave a server behind.
  const orphanGuard = () => killGroup(child, "SIGKILL")
  process.once("exit", orphanGuard)

  const stop = async () => {
    process.off("exit", orphanGuard)
    killGroup(child, "SIGTERM")
    const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)])
    // The leader may be gone while children (workerd) linger: sweep the whole group.
    killGroup(child, "SIGKILL")
    if (!stopped) await Promise.race([exited, sleep(2_000)])
    try {
      process.kill(-child.pid!, "SIGKILL")
    } catch {
      // Nothing left.
    }
  }

  const keepLogs = () => {
    const artifacts = join(repoRoot, "test-artifacts", "matrix")
    mkdirSync(artifacts, { recursive: true })
    const target = join(artifacts, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.log`)
    copyFileSync(logFile, target)
    return target
  }

  const baseUrl = `http://127.0.0.1:${port}`
  try {
    await waitUntilReady(baseUrl, child, logFile, options.readyTimeoutMs ?? (name === "workers" ? 90_000 : 45_000))
  } catch (error) {
    await stop()
    const kept = keepLogs()
    rmSync(runDir, { recursive: true, force: true })
    throw new Error(`${name} did not start (log: ${kept}): ${error instanceof Error ? error.message : String(error)}`)
  }

  return {
    name,
    baseUrl,
    logFile,
    logs: () => readFileSync(logFile, "utf8"),
    keepLogs,
    /** Call `keepLogs` first if they matter: this removes the run's temp folder. */
    stop: async () => {
      await stop()
      rmSync(runDir, { recursive: true, force: true })
    }
  }
}

/**
 * For a runtime's test file: starts the fakes and the runtime before the suite, stops both
 * after it, and keeps the runtime's log under test-artifacts/matrix/ if any case failed.
 */
export const useMatrix = (name: RuntimeName, options: StartOptions = {}): (() => MatrixContext) => {
  let context: MatrixContext | undefined
  let runtime: RunningRuntime | undefined
  let fakes: Fakes | undefined
  let failed = false

  beforeAll(async () => {
    const secrets = freshSecrets()
    fakes = await startFakes(secrets)
    runtime = await startRuntime(name, {
      secrets,
      linearApiUrl: fakes.linear.url,
      linearOAuthUrl: fakes.linear.url,
      sessionsUrl: fakes.sessions.url
    }, options)
    context = { baseUrl: runtime.baseUrl, secrets, fakes }
  }, (options.readyTimeoutMs ?? 90_000) + 60_000)

  afterEach((test) => {
    if (test.task.result?.state === "fail") failed = true
  })

  afterAll(async () => {
    if (runtime !== undefined) {
      if (failed) console.error(`${name}: runtime log kept at ${runtime.keepLogs()}`)
      await runtime.stop()
    }
    await fakes?.close()
  }, 30_000)

  return () => {
    if (context === undefined) throw new Error(`${name} did not start`)
    return context
  }
}
