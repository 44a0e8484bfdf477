/**
 * Child processes for the matrix: each in its own process group (so stopping reaches tsx's
 * node, wrangler's workerd ...), output appended to a log file, never a leftover after vitest.
 */
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { closeSync, openSync, readFileSync } from "node:fs"
import { createServer } from "node:net"
import { join, resolve } from "node:path"

export const repoRoot = resolve(import.meta.dirname, "../..")

/** A tool installed as a devDependency. */
export const bin = (name: string): string => join(repoRoot, "node_modules/.bin", name)

export interface Command {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
  /** The working folder (default: the repository). */
  readonly cwd?: string
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms))

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

/** The parent's env minus anything that could configure Switchboard behind the suite's back. */
export const inheritedEnv = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue
    if (/^(SWITCHBOARD_|LINEAR_|SLACK_|JIRA_|MCP_|PORT$|HOST$|NODE_OPTIONS$|VITEST)/.test(name)) continue
    // Only the GitHub settings the provider reads: CI's own GITHUB_* (GITHUB_ACTIONS ...) pass.
    if (/^GITHUB_(API_URL|WEB_URL|TRIGGER_LABEL|APP_|WEBHOOK_SECRET|CLIENT_)/.test(name)) continue
    env[name] = value
  }
  return env
}

export const tail = (file: string, lines = 60): string => {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n")
  } catch {
    return "(no log)"
  }
}

const killGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // The group is gone already.
  }
}

const spawnLogged = (command: Command, logFile: string): ChildProcess => {
  const log = openSync(logFile, "a")
  try {
    return spawn(command.command, [...command.args], {
      cwd: command.cwd ?? repoRoot,
      env: command.env,
      stdio: ["ignore", log, log],
      detached: true
    })
  } finally {
    closeSync(log)
  }
}

/** Runs a command to completion; fails with the log's tail on a non-zero exit or a timeout. */
export const runToCompletion = (command: Command, logFile: string, timeoutMs: number): Promise<void> =>
  new Promise((resolveRun, reject) => {
    const child = spawnLogged(command, logFile)
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), timeoutMs)
    child.once("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once("exit", (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolveRun()
      else reject(new Error(`${command.command} ${command.args.join(" ")} exited with ${code ?? signal}\n${tail(logFile)}`))
    })
  })

export interface Server {
  readonly child: ChildProcess
  readonly hasExited: () => boolean
  /** SIGTERM to the group, SIGKILL to whatever is left after a grace period. */
  readonly stop: () => Promise<void>
}

/** Starts a long-running command; it is killed if the vitest process exits first. */
export const startServer = (command: Command, logFile: string): Server => {
  const child = spawnLogged(command, logFile)
  let exited = false
  const exit = new Promise<void>((resolveExit) => {
    const done = () => {
      exited = true
      resolveExit()
    }
    child.once("exit", done)
    // Spawning itself failed (a missing binary): reported as an exit before readiness.
    child.once("error", done)
  })
  const orphanGuard = () => killGroup(child, "SIGKILL")
  process.once("exit", orphanGuard)
  return {
    child,
    hasExited: () => exited,
    stop: async () => {
      process.off("exit", orphanGuard)
      killGroup(child, "SIGTERM")
      await Promise.race([exit, sleep(5_000)])
      // The leader may be gone while its children (workerd) linger: sweep the whole group.
      killGroup(child, "SIGKILL")
      await Promise.race([exit, sleep(2_000)])
    }
  }
}
