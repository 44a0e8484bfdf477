/**
 * Server processes for the bench: each in its own process group (tsx or a runtime shim may fork),
 * ready when it answers HTTP, accounted from /proc over the whole group (CPU time, peak RSS).
 */
import { execFileSync, spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

export const repoRoot = resolve(import.meta.dirname, "../..")
export const bin = (name: string): string => join(repoRoot, "node_modules/.bin", name)

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))
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

export interface Spawned {
  readonly pid: number
  readonly url: URL
  readonly log: string
  readonly stop: () => Promise<void>
}

const tail = (file: string) => {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-30).join("\n")
  } catch {
    return "(no log)"
  }
}

const killGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}

/** Starts a server and waits until `readyPath` answers (any status) or the process dies. */
export const startProcess = async (options: {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
  readonly port: number
  readonly log: string
  readonly readyPath?: string
  readonly timeoutMs?: number
}): Promise<Spawned> => {
  const log = openSync(options.log, "a")
  const child = spawn(options.command, [...options.args], {
    cwd: repoRoot,
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...options.env },
    stdio: ["ignore", log, log],
    detached: true
  })
  closeSync(log)
  let exited = false
  const exit = new Promise<void>((done) => {
    child.once("exit", () => ((exited = true), done()))
    child.once("error", () => ((exited = true), done()))
  })
  const orphanGuard = () => killGroup(child, "SIGKILL")
  process.once("exit", orphanGuard)
  const stop = async () => {
    process.off("exit", orphanGuard)
    killGroup(child, "SIGTERM")
    await Promise.race([exit, sleep(5_000)])
    killGroup(child, "SIGKILL")
    await Promise.race([exit, sleep(2_000)])
  }
  const url = new URL(`http://127.0.0.1:${options.port}`)
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${options.command} ${options.args.join(" ")} exited before it was ready:\n${tail(options.log)}`)
    try {
      await fetch(new URL(options.readyPath ?? "/", url), { signal: AbortSignal.timeout(1_000) })
      return { pid: child.pid ?? 0, url, log: options.log, stop }
    } catch {
      await sleep(50)
    }
  }
  await stop()
  throw new Error(`${options.command} was not ready in time:\n${tail(options.log)}`)
}
