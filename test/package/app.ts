/**
 * Runs an app that serves on a free port and logs Effect's "Listening on http://...:<port>":
 * waits for that line, hands back the URL, stops it with SIGTERM and reports how it exited.
 * The output is kept for the failure message only, so a passing test prints nothing.
 */
import { spawn } from "node:child_process"

export interface RunningApp {
  readonly baseUrl: string
  /** SIGTERM, then the exit code (null when a signal ended it) once the process is gone. */
  readonly stop: () => Promise<number | null>
  readonly output: () => string
}

export interface AppCommand {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly cwd: string
  readonly env: Readonly<Record<string, string>>
  readonly readyTimeoutMs?: number
}

export const startApp = (app: AppCommand): Promise<RunningApp> =>
  new Promise((resolve, reject) => {
    const child = spawn(app.command, [...app.args], { cwd: app.cwd, env: app.env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    let started = false
    const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)))
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`${app.command} did not listen in time:\n${output}`))
    }, app.readyTimeoutMs ?? 30_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString("utf8")
      const port = /Listening on http:\/\/\S*?:(\d+)/.exec(output)?.[1]
      if (started || port === undefined) return
      started = true
      clearTimeout(timer)
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        output: () => output,
        stop: async () => {
          child.kill("SIGTERM")
          const forced = setTimeout(() => child.kill("SIGKILL"), 10_000)
          const code = await exited
          clearTimeout(forced)
          return code
        }
      })
    }
    child.stdout.on("data", read)
    child.stderr.on("data", read)
    void exited.then((code) => {
      if (started) return
      clearTimeout(timer)
      reject(new Error(`${app.command} exited with ${code} before it listened:\n${output}`))
    })
  })
