/**
 * Child processes for the edge benches (cold start, tools/call): each in its own process group so
 * stopping reaches a wrapper's children, its output discarded (a bench must not print a server's
 * logs), never a leftover when the bench exits.
 */
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { createServer } from "node:net"
import { join, resolve } from "node:path"

export const repoRoot = resolve(import.meta.dirname, "../..")

/** A tool installed as a devDependency. */
export const bin = (name: string): string => join(repoRoot, "node_modules/.bin", name)

export const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms))

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
