/**
 * Child processes for the edge benches (cold start, tools/call): each in its own process group so
 * stopping reaches a wrapper's children, its output discarded (a bench must not print a server's
 * logs), never a leftover when the bench exits.
 */
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"

// The repository root, devDependency binaries and free loopback ports are the bench's shared helpers.
import { repoRoot } from "../lib/processes.ts"

export { bin, freePort, repoRoot } from "../lib/processes.ts"

export const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms))

/** The parent's env without anything that could configure a server behind the bench's back. */
export const cleanEnv = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue
    if (/^(SWITCHBOARD_|LINEAR_|SLACK_|JIRA_|GITHUB_|MCP_|OTEL_|PORT$|HOST$|NODE_OPTIONS$|VITEST)/.test(name)) continue
    env[name] = value
  }
  return env
}

export interface Command {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
}

export interface Child {
  readonly process: ChildProcess
  readonly exited: () => boolean
  /** SIGKILL to the whole group (a bench server holds nothing worth a graceful stop). */
  readonly stop: () => Promise<void>
}

const killGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // The group is gone already.
  }
}

export const start = (command: Command, options: { readonly stderr?: boolean } = {}): Child => {
  const child = spawn(command.command, [...command.args], {
    cwd: repoRoot,
    env: command.env,
    stdio: ["ignore", "ignore", options.stderr === true ? "inherit" : "ignore"],
    detached: true
  })
  let exited = false
  const exit = new Promise<void>((resolveExit) => {
    const done = () => {
      exited = true
      resolveExit()
    }
    child.once("exit", done)
    child.once("error", done)
  })
  const orphanGuard = () => killGroup(child, "SIGKILL")
  process.once("exit", orphanGuard)
  return {
    process: child,
    exited: () => exited,
    stop: async () => {
      process.off("exit", orphanGuard)
      killGroup(child, "SIGKILL")
      await Promise.race([exit, sleep(3_000)])
    }
  }
}

/** Runs a command to its end; rejects on a non-zero exit. */
export const runToEnd = (command: Command): Promise<void> =>
  new Promise((resolveRun, reject) => {
    const child = spawn(command.command, [...command.args], { cwd: repoRoot, env: command.env, stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.once("error", reject)
    child.once("exit", (code) => {
      if (code === 0) resolveRun()
      else reject(new Error(`${command.command} ${command.args.join(" ")} exited with ${code}\n${stderr.slice(-2000)}`))
    })
  })
