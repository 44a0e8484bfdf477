/**
 * The bench's child processes: each in its own process group (tsx or a runtime shim may fork) so
 * stopping reaches a wrapper's children and the accounting covers them (CPU time, peak RSS, read
 * from /proc), its output in a log file or discarded (a bench prints only its rows), never a
 * leftover when the bench exits. A server is ready when it answers HTTP.
 */
import { execFileSync, spawn } from "node:child_process"
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

export const repoRoot = resolve(import.meta.dirname, "../..")
export const bin = (name: string): string => join(repoRoot, "node_modules/.bin", name)

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))
const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100

export const freePort = (): Promise<number> =>
  new Promise((done, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => done(port))
    })
  })

export const scratch = (): { readonly path: string; readonly remove: () => void } => {
  const path = mkdtempSync(join(tmpdir(), "switchboard-bench-"))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/**
 * Removes the SQLite files (with their logs) a stopped server left in `folder`, keeping its log.
 * A pass writes hundreds of MB; left on disk, their dirty pages would be written back while the
 * next subject is measured, charging it for the last one's I/O. Removed, they are dropped unwritten.
 */
export const dropDatabases = (folder: string): void => {
  for (const file of readdirSync(folder)) {
    if (/\.sqlite(-wal|-shm)?$/.test(file)) rmSync(join(folder, file), { force: true })
  }
}

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

/** What to run; `env` goes over `cleanEnv()`. */
export interface Command {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
}

const spawnOptions = (command: Command) => ({ cwd: repoRoot, env: { ...cleanEnv(), ...command.env } })

/** The processes of a group: pid → its /proc stat fields after the command name. */
const groupMembers = (group: number): Array<{ readonly pid: number; readonly fields: ReadonlyArray<string> }> => {
  const members: Array<{ pid: number; fields: ReadonlyArray<string> }> = []
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8")
      // Fields after "pid (comm) ": state, ppid, pgrp, ... (the name may hold spaces).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      if (Number(fields[2]) === group) members.push({ pid: Number(entry), fields })
    } catch {
      // Gone between listing and reading.
    }
  }
  return members
}

/** User + system CPU seconds of every process in the group (utime, stime: fields 14, 15). */
export const groupCpuSeconds = (group: number): number =>
  groupMembers(group).reduce((sum, member) => sum + Number(member.fields[11]) + Number(member.fields[12]), 0) / ticksPerSecond

/** The largest peak resident set (VmHWM) in the group, in MB. */
export const groupPeakRssMb = (group: number): number =>
  Math.max(0, ...groupMembers(group).map((member) => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${member.pid}/status`, "utf8"))
      return match === null ? 0 : Number(match[1]) / 1024
    } catch {
      return 0
    }
  }))

export interface Child {
  /** Also the process group's id. */
  readonly pid: number
  readonly exited: () => boolean
  /** SIGTERM to the group, SIGKILL after the grace period (at once when it is 0). */
  readonly stop: () => Promise<void>
}

const killGroup = (pid: number | undefined, signal: NodeJS.Signals) => {
  try {
    if (pid !== undefined) process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

/**
 * Starts a command in a process group of its own, its output appended to `log` (discarded without
 * one). `graceMs` is how long a stop waits after SIGTERM: 0 for a process that holds nothing worth
 * a graceful stop.
 */
export const start = (command: Command, options: { readonly log?: string; readonly graceMs?: number } = {}): Child => {
  const output = options.log === undefined ? "ignore" : openSync(options.log, "a")
  const child = spawn(command.command, [...command.args], { ...spawnOptions(command), stdio: ["ignore", output, output], detached: true })
  if (typeof output === "number") closeSync(output)
  let exited = false
  const exit = new Promise<void>((done) => {
    child.once("exit", () => ((exited = true), done()))
    child.once("error", () => ((exited = true), done()))
  })
  const orphanGuard = () => killGroup(child.pid, "SIGKILL")
  process.once("exit", orphanGuard)
  const graceMs = options.graceMs ?? 5_000
  return {
    pid: child.pid ?? 0,
    exited: () => exited,
    stop: async () => {
      process.off("exit", orphanGuard)
      if (graceMs > 0) {
        killGroup(child.pid, "SIGTERM")
        await Promise.race([exit, sleep(graceMs)])
      }
      killGroup(child.pid, "SIGKILL")
      await Promise.race([exit, sleep(2_000)])
    }
  }
}

export interface Spawned extends Child {
  readonly url: URL
  readonly log: string
}

const tail = (file: string) => {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-30).join("\n")
  } catch {
    return "(no log)"
  }
}

/** Starts a server on `port` and waits until `readyPath` answers (any status) or the process dies. */
export const startServer = async (options: Command & {
  readonly port: number
  readonly log: string
  readonly readyPath?: string
  readonly timeoutMs?: number
}): Promise<Spawned> => {
  const child = start(options, { log: options.log })
  const url = new URL(`http://127.0.0.1:${options.port}`)
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  while (Date.now() < deadline) {
    if (child.exited()) throw new Error(`${options.command} ${options.args.join(" ")} exited before it was ready:\n${tail(options.log)}`)
    try {
      await fetch(new URL(options.readyPath ?? "/", url), { signal: AbortSignal.timeout(1_000) })
      return { ...child, url, log: options.log }
    } catch {
      await sleep(50)
    }
  }
  await child.stop()
  throw new Error(`${options.command} was not ready in time:\n${tail(options.log)}`)
}

/** Runs a command to its end; rejects on a non-zero exit with the end of its stderr. */
export const runToEnd = (command: Command): Promise<void> =>
  new Promise((resolveRun, reject) => {
    const child = spawn(command.command, [...command.args], { ...spawnOptions(command), stdio: ["ignore", "ignore", "pipe"] })
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
