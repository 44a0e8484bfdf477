/**
 * Starts one runtime entrypoint as a child process for the black-box suite: a free loopback
 * port, fresh secrets, a temp database, env pointing at the fakes; waits for `GET /health`;
 * stops the whole process group. Output goes to a log file that is copied to
 * test-artifacts/matrix/ when something failed. Workers: see `wrangler.ts`.
 */
import { randomBytes } from "node:crypto"
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, afterEach, beforeAll } from "vitest"
import { githubAppEnv } from "../support/kit/providers/github.ts"
import { jiraEnv } from "../support/kit/providers/jira.ts"
import { startFakes } from "./fakes.ts"
import type { Fakes } from "./fakes.ts"
import { bin, freePort, inheritedEnv, repoRoot, startServer, tail } from "./processes.ts"
import type { Command, Server } from "./processes.ts"
import { prepareWorker } from "./wrangler.ts"

export type RuntimeName = "node" | "bun" | "deno" | "workers"

export const defaultEntries: Readonly<Record<RuntimeName, string>> = {
  node: "runtimes/node/main.ts",
  bun: "runtimes/bun/main.ts",
  deno: "runtimes/deno/main.ts",
  workers: "runtimes/workers/main.ts"
}

export interface Secrets {
  readonly signingKey: string
  readonly vaultKeys: string
  readonly adminToken: string
  readonly linearClientId: string
  readonly linearClientSecret: string
  readonly linearWebhookSecret: string
  /** The deployment's Slack app. */
  readonly slackClientId: string
  readonly slackClientSecret: string
  readonly slackSigningSecret: string
}

export const freshSecrets = (): Secrets => ({
  signingKey: randomBytes(32).toString("hex"),
  vaultKeys: `k1:${randomBytes(32).toString("base64")}`,
  adminToken: `adm_${randomBytes(24).toString("hex")}`,
  linearClientId: `client_${randomBytes(8).toString("hex")}`,
  linearClientSecret: randomBytes(24).toString("hex"),
  linearWebhookSecret: `lin_wh_${randomBytes(24).toString("hex")}`,
  slackClientId: `${randomBytes(4).readUInt32BE()}.${randomBytes(4).readUInt32BE()}`,
  slackClientSecret: randomBytes(16).toString("hex"),
  slackSigningSecret: randomBytes(16).toString("hex")
})

export interface RuntimeEnvInput {
  readonly secrets: Secrets
  readonly linearApiUrl: string
  readonly linearOAuthUrl: string
  readonly sessionsUrl: string
  /** The fake Slack's origin (Web API under `/api`, OAuth at the root); unset leaves Slack unconfigured. */
  readonly slackUrl?: string
  /** The fake GitHub's origin (web pages and REST API both); unset means github.com. */
  readonly githubUrl?: string
  readonly extra?: Readonly<Record<string, string>>
  /** More env once the runtime's public URL is known (the shared GitHub App's setup URL names it). */
  readonly atPublicUrl?: (publicUrl: string) => Promise<Readonly<Record<string, string>>>
}

/** What the suite gets: the runtime's base URL, the secrets it runs with, the fakes around it. */
export interface MatrixContext {
  readonly baseUrl: string
  readonly secrets: Secrets
  readonly fakes: Fakes
  /** The env the runtime runs with. */
  readonly env: Readonly<Record<string, string>>
  /** The runtime's output so far (its log lines). */
  readonly logs: () => string
  /** The run's own folder (its database, and on Workers wrangler's local state), until it stops. */
  readonly workDir?: string
}

export interface RunningRuntime {
  readonly name: RuntimeName
  readonly baseUrl: string
  /** The env it runs with. */
  readonly env: Readonly<Record<string, string>>
  /** The log so far. */
  readonly logs: () => string
  readonly workDir: string
  /** Copies the log to test-artifacts/matrix/<name>-<time>.log and returns that path. */
  readonly keepLogs: () => string
  /** Stops the process group and removes the run's temp folder (call `keepLogs` first). */
  readonly stop: () => Promise<void>
}

export interface StartOptions {
  /** The entry file, relative to the repo (default: `defaultEntries[name]`). */
  readonly entry?: string
  /** How long the runtime may take to answer `GET /health` with 200. */
  readonly readyTimeoutMs?: number
  /** More env, read when the runtime starts (a database URL known only once its server runs). */
  readonly env?: () => Readonly<Record<string, string>>
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
  ...(input.slackUrl === undefined ? {} : {
    SLACK_CLIENT_ID: input.secrets.slackClientId,
    SLACK_CLIENT_SECRET: input.secrets.slackClientSecret,
    SLACK_SIGNING_SECRET: input.secrets.slackSigningSecret,
    SLACK_API_URL: `${input.slackUrl}/api`,
    SLACK_OAUTH_URL: input.slackUrl
  }),
  ...(input.githubUrl === undefined ? {} : { GITHUB_API_URL: input.githubUrl, GITHUB_WEB_URL: input.githubUrl }),
  SWITCHBOARD_SESSIONS_URL: input.sessionsUrl,
  // Small, so the suite's oversized bodies stay small and quick on every runtime.
  SWITCHBOARD_MAX_BODY_BYTES: String(maxBodyBytes),
  ...input.extra
})

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms))

/**
 * Ready means `GET /health` answers 200. A runtime that keeps answering something else for
 * `settleMs` is taken as started anyway (the suite's health case then fails on its own), so a
 * broken kernel fails fast instead of waiting out the whole timeout.
 */
const waitUntilReady = async (baseUrl: string, server: Server, logFile: string, timeoutMs: number, settleMs = 5_000) => {
  const deadline = Date.now() + timeoutMs
  let firstAnswerAt: number | undefined
  while (Date.now() < deadline) {
    if (server.hasExited()) {
      const { exitCode, signalCode } = server.child
      throw new Error(`runtime exited with ${exitCode ?? signalCode} before it was ready\n${tail(logFile)}`)
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

const commandFor = async (
  name: RuntimeName,
  entry: string,
  env: Record<string, string>,
  run: { readonly workDir: string; readonly logFile: string }
): Promise<Command> => {
  const processEnv = { ...inheritedEnv(), ...env, NO_COLOR: "1" }
  switch (name) {
    case "node":
      return { command: bin("tsx"), args: [entry], env: processEnv }
    case "bun":
      return { command: bin("bun"), args: [entry], env: processEnv }
    case "deno":
      return {
        command: bin("deno"),
        args: ["run", "-A", "--no-prompt", entry],
        env: { ...processEnv, DENO_NO_UPDATE_CHECK: "1" }
      }
    case "workers": {
      const { PORT: port, HOST: _host, SWITCHBOARD_DATABASE: _database, ...vars } = env
      return prepareWorker({ ...run, entry, vars, port: Number(port), inspectorPort: await freePort() })
    }
  }
}

export const startRuntime = async (
  name: RuntimeName,
  input: RuntimeEnvInput,
  options: StartOptions = {}
): Promise<RunningRuntime> => {
  const runDir = mkdtempSync(join(tmpdir(), `switchboard-matrix-${name}-`))
  const workDir = join(runDir, "work")
  mkdirSync(workDir)
  const logFile = join(runDir, `${name}.log`)
  writeFileSync(logFile, "")
  const keepLogs = () => {
    const artifacts = join(repoRoot, "test-artifacts", "matrix")
    mkdirSync(artifacts, { recursive: true })
    const target = join(artifacts, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.log`)
    copyFileSync(logFile, target)
    return target
  }
  const fail = (error: unknown): never => {
    const kept = keepLogs()
    rmSync(runDir, { recursive: true, force: true })
    throw new Error(`${name} did not start (log: ${kept}): ${error instanceof Error ? error.message : String(error)}`)
  }

  const port = await freePort()
  const late = await input.atPublicUrl?.(`http://127.0.0.1:${port}`)
  const env = { ...runtimeEnv(port, join(workDir, "switchboard.sqlite"), input), ...late, ...options.env?.() }
  const command = await commandFor(name, options.entry ?? defaultEntries[name], env, { workDir, logFile }).catch(fail)
  const server = startServer(command, logFile)
  const baseUrl = `http://127.0.0.1:${port}`
  const readyTimeoutMs = options.readyTimeoutMs ?? (name === "workers" ? 90_000 : 45_000)
  await waitUntilReady(baseUrl, server, logFile, readyTimeoutMs).catch(async (error: unknown) => {
    await server.stop()
    fail(error)
  })

  return {
    name,
    baseUrl,
    env,
    logs: () => readFileSync(logFile, "utf8"),
    workDir,
    keepLogs,
    stop: async () => {
      await server.stop()
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
    const started = await startFakes(secrets)
    fakes = started
    runtime = await startRuntime(name, {
      secrets,
      linearApiUrl: fakes.linear.url,
      linearOAuthUrl: fakes.linear.url,
      slackUrl: fakes.slack.url,
      githubUrl: fakes.github.url,
      sessionsUrl: fakes.sessions.url,
      // For the provider kit (kit.ts): the fake Jira, and the deployment's shared GitHub App.
      extra: jiraEnv(fakes.jira.url, fakes.jira),
      atPublicUrl: (publicUrl) => githubAppEnv(started.github.url, started.github, publicUrl)
    }, options)
    const running = runtime
    context = { baseUrl: runtime.baseUrl, secrets, fakes, env: runtime.env, logs: () => running.logs(), workDir: runtime.workDir }
  }, (options.readyTimeoutMs ?? 90_000) + 150_000)

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
