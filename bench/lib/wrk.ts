/**
 * The load generator for every section: Debian's `wrk` (installed with apt-get when missing and
 * this user may), one thread, 64 connections by default. Every script it runs ends with
 * report.lua, which prints the exact figures the runner parses. The ingest sections drive it with
 * `signed.lua`, so that every request carries a fresh delivery id and a valid signature over a
 * body no other request had (Switchboard dedupes on the delivery id and on the body's digest: a
 * repeated body would measure the duplicate path); `tools/call` sends one fixed request.
 */
import { execFileSync, spawn } from "node:child_process"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { SignedTemplate } from "./payloads.ts"

export const WRK = "/usr/bin/wrk"

export const ensureWrk = (): string => {
  if (existsSync(WRK)) return WRK
  if (process.getuid?.() === 0) {
    process.stderr.write("Installing Debian's wrk for the bench...\n")
    execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore" })
    execFileSync("apt-get", ["install", "-y", "-qq", "wrk"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } })
    if (existsSync(WRK)) return WRK
  }
  throw new Error("The bench needs wrk at /usr/bin/wrk: run 'sudo apt-get install -y wrk'.")
}

export interface WrkResult {
  readonly requests: number
  readonly seconds: number
  readonly reqPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Non-2xx answers plus socket errors: a pass with any is not a clean pass. */
  readonly errors: number
}

/** A Lua quoted string (long brackets would turn the headers' CR LF into LF); ASCII only. */
const luaString = (text: string) =>
  `"${text.replace(/[\\"\r\n]|[^\x20-\x7e]/g, (char) => {
    const code = char.charCodeAt(0)
    if (code > 127) throw new Error("bench payloads are ASCII")
    return char === "\\" || char === "\"" ? `\\${char}` : `\\${String(code).padStart(3, "0")}`
  })}"`

const lib = (file: string) => readFileSync(join(import.meta.dirname, file), "utf8")

/** Writes `code` followed by report.lua to `file`; returns `file`. */
export const writeScript = (file: string, code: string): string => {
  writeFileSync(file, `${code}\n${lib("report.lua")}`)
  return file
}

/** The per-target signed script in `directory`: PARAMS, then signed.lua's code. */
export const signedScript = (directory: string, url: URL, template: SignedTemplate, nonce: string): string => {
  if (Buffer.byteLength(template.key) > 64) throw new Error("signed.lua takes keys of at most 64 bytes")
  const headers = Object.entries(template.headers).map(([name, value]) => `${name}: ${value}\r\n`).join("")
  const params = {
    method: "POST",
    path: url.pathname,
    host: url.host,
    headers,
    key: template.key,
    signedPrefix: template.signedPrefix,
    bodyPrefix: template.bodyPrefix,
    suffix: template.suffix,
    signatureHeader: template.signatureHeader,
    signaturePrefix: template.signaturePrefix,
    deliveryHeader: template.deliveryHeader ?? "",
    nonce
  }
  const lua = `PARAMS = {\n${Object.entries(params).map(([name, value]) => `  ${name} = ${luaString(value)},`).join("\n")}\n}\n` + lib("signed.lua")
  return writeScript(join(directory, `wrk-${nonce}.lua`), lua)
}

/** A script sending the same request every time, at `file`. */
export const fixedScript = (file: string, request: {
  readonly method: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}): string =>
  writeScript(file, [
    `wrk.method = ${luaString(request.method)}`,
    `wrk.body = ${luaString(request.body)}`,
    ...Object.entries(request.headers).map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`)
  ].join("\n"))

export const runWrk = (options: {
  readonly url: URL
  readonly script: string
  readonly seconds: number
  readonly connections?: number
  /** Passed to the script's `init(args)`. */
  readonly scriptArgs?: ReadonlyArray<string>
}): Promise<WrkResult> =>
  new Promise((resolve, reject) => {
    const args = ["-t1", `-c${options.connections ?? 64}`, `-d${options.seconds}s`, "--timeout", "10s", "-s", options.script, options.url.href,
      ...(options.scriptArgs === undefined ? [] : ["--", ...options.scriptArgs])]
    const child = spawn(ensureWrk(), args, { stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.once("error", reject)
    child.once("exit", (code) => {
      const line = output.split("\n").find((text) => text.startsWith("BENCH "))
      if (code !== 0 || line === undefined) return reject(new Error(`wrk exited with ${code}:\n${output}`))
      const raw: Record<string, number> = JSON.parse(line.slice(6))
      const value = (name: string) => raw[name] ?? 0
      const seconds = value("durationUs") / 1e6
      resolve({
        requests: value("requests"),
        seconds,
        reqPerSecond: value("requests") / seconds,
        p50Ms: value("p50Us") / 1000,
        p99Ms: value("p99Us") / 1000,
        errors: value("status") + value("connect") + value("read") + value("write") + value("timeout")
      })
    })
  })
