/**
 * Runs CLI commands in process with captured output, a temp working folder (so the repo's own
 * `.data` is never read) and an injectable fetch; `spawnCli` runs the real `bin/switchboard.js`.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { run } from "../../bin/cli/Cli.ts"
import type { Command } from "../../bin/cli/Command.ts"
import type { Io } from "../../bin/cli/Io.ts"

export const repoRoot = resolve(import.meta.dirname, "../..")

export interface CliRun {
  readonly code: number
  readonly out: ReadonlyArray<string>
  readonly err: ReadonlyArray<string>
  readonly stdout: string
  readonly stderr: string
}

export const tempDir = (): { readonly path: string; readonly remove: () => void } => {
  const path = mkdtempSync(join(tmpdir(), "switchboard-cli-"))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

export const runCli = async (
  argv: ReadonlyArray<string>,
  options: {
    readonly cwd: string
    readonly env?: Readonly<Record<string, string>>
    readonly fetch?: Io["fetch"]
    readonly commands?: ReadonlyArray<Command>
  }
): Promise<CliRun> => {
  const out: Array<string> = []
  const err: Array<string> = []
  const io: Io = {
    out: (line) => void out.push(line),
    err: (line) => void err.push(line),
    env: options.env ?? {},
    cwd: options.cwd,
    fetch: options.fetch ?? ((input, init) => fetch(input, init))
  }
  const code = await run(argv, io, options.commands)
  return { code, out, err, stdout: out.join("\n"), stderr: err.join("\n") }
}

/** The installed entrypoint, as a user runs it: `node bin/switchboard.js ...`. */
export const spawnCli = (argv: ReadonlyArray<string>, options: { readonly cwd: string; readonly env?: Record<string, string> }) => {
  const result = spawnSync(process.execPath, [join(repoRoot, "bin", "switchboard.js"), ...argv], {
    cwd: options.cwd,
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...options.env },
    encoding: "utf8",
    timeout: 60_000
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}
