/** wrk, the load generator (Debian's package, installed when missing), and its output parsed. */
import { execFile, execFileSync } from "node:child_process"
import { writeFileSync } from "node:fs"

export const ensureWrk = (): void => {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" })
  } catch (error) {
    // wrk --version exits 1 after printing its version: only a missing binary is a problem.
    if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) return
    execFileSync("apt-get", ["-y", "install", "wrk"], { stdio: "ignore" })
  }
}

export interface WrkRequest {
  readonly method: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** A wrk Lua script sending the same request every time. */
export const writeScript = (file: string, request: WrkRequest): void => {
  const lua = (value: string) => JSON.stringify(value)
  writeFileSync(file, [
    `wrk.method = ${lua(request.method)}`,
    `wrk.body = ${lua(request.body)}`,
    ...Object.entries(request.headers).map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`)
  ].join("\n") + "\n")
}

export interface WrkResult {
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Non-2xx answers and socket errors: a pass with any is not a clean pass. */
  readonly failures: number
}

const toMs = (value: string, unit: string): number =>
  Number(value) * (unit === "us" ? 0.001 : unit === "ms" ? 1 : unit === "s" ? 1000 : Number.NaN)

export const parse = (output: string): WrkResult => {
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(output)
    return match === null ? Number.NaN : toMs(match[1]!, match[2]!)
  }
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(output)
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  const socketErrors = socket === null ? 0 : socket.slice(1).reduce((sum, count) => sum + Number(count), 0)
  return {
    requestsPerSecond: rate === null ? Number.NaN : Number(rate[1]),
    p50Ms: percentile("50"),
    p99Ms: percentile("99"),
    failures: (non2xx === null ? 0 : Number(non2xx[1])) + socketErrors
  }
}

export const wrk = (options: {
  readonly url: string
  readonly script: string
  readonly connections: number
  readonly seconds: number
}): Promise<WrkResult> =>
  new Promise((resolveRun, reject) => {
    execFile(
      "wrk",
      ["-t1", `-c${options.connections}`, `-d${options.seconds}s`, "--latency", "-s", options.script, options.url],
      { maxBuffer: 1024 * 1024 },
      (error, stdout) => (error === null ? resolveRun(parse(stdout)) : reject(error))
    )
  })
