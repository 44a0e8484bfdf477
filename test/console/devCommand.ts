/**
 * The dev command as a new user starts it (`npm run dev` in the repository), on free ports and a
 * temp data folder, with its output in a log file; plus the headless Chromium that drives the
 * Console. Processes run in their own group and are always stopped (see test/matrix/processes).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { type Browser, chromium } from "playwright-core"
import { freePort, inheritedEnv, repoRoot, startServer, tail } from "../matrix/processes.ts"
import type { Server } from "../matrix/processes.ts"

export const artifacts = join(repoRoot, "test-artifacts", "console")

export interface DevCommand {
  readonly publicUrl: string
  /** The Console link the command printed (`/#key=...`). */
  readonly consoleUrl: string
  readonly apiKey: string
  readonly log: () => string
  /** JSON log lines (SWITCHBOARD_LOG_FORMAT=json). */
  readonly logLines: () => ReadonlyArray<LogLine>
  readonly stop: () => Promise<void>
}

export interface LogLine {
  readonly message: unknown
  readonly level: string
  readonly annotations: Readonly<Record<string, unknown>>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const isLogLine = (value: unknown): value is LogLine =>
  typeof value === "object" && value !== null && "message" in value && "annotations" in value && "level" in value

const parseLines = (text: string): ReadonlyArray<LogLine> =>
  text.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return []
    try {
      const parsed: unknown = JSON.parse(line)
      return isLogLine(parsed) ? [parsed] : []
    } catch {
      return []
    }
  })

export const startDevCommand = async (options: { readonly dataDir: string; readonly port?: number; readonly name: string }): Promise<DevCommand> => {
  mkdirSync(artifacts, { recursive: true })
  const port = options.port ?? await freePort()
  const logFile = join(options.dataDir, `${options.name}.log`)
  writeFileSync(logFile, "")
  const server: Server = startServer({
    command: "npm",
    args: ["run", "dev"],
    env: {
      ...inheritedEnv(),
      PORT: String(port),
      HOST: "127.0.0.1",
      SANDBOX_PORT: "0",
      SWITCHBOARD_DEV_DATA: options.dataDir,
      SWITCHBOARD_LOG_FORMAT: "json",
      NO_COLOR: "1"
    }
  }, logFile)
  const deadline = Date.now() + 60_000
  let consoleUrl: string | undefined
  while (consoleUrl === undefined) {
    if (server.hasExited()) throw new Error(`npm run dev exited early:\n${tail(logFile)}`)
    if (Date.now() > deadline) {
      await server.stop()
      throw new Error(`npm run dev printed no Console link within 60 s:\n${tail(logFile)}`)
    }
    consoleUrl = /Console\s+(http:\/\/\S+#key=\S+)/.exec(readFileSync(logFile, "utf8"))?.[1]
    await sleep(200)
  }
  const apiKey = decodeURIComponent(consoleUrl.slice(consoleUrl.indexOf("#key=") + 5))
  return {
    publicUrl: new URL(consoleUrl).origin,
    consoleUrl,
    apiKey,
    log: () => readFileSync(logFile, "utf8"),
    logLines: () => parseLines(readFileSync(logFile, "utf8")),
    stop: () => server.stop()
  }
}

/** Debian's Chromium, headless, never a downloaded browser. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
  })
