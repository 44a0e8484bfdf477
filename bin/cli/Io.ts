/**
 * What a command may touch, passed in so tests run commands in process: output (results on
 * stdout, progress on stderr), the env, the working folder and fetch.
 */
export interface Io {
  /** A result line (stdout): what a script would capture. */
  readonly out: (line: string) => void
  /** A progress or error line (stderr). */
  readonly err: (line: string) => void
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  readonly fetch: (input: string | URL, init?: RequestInit) => Promise<Response>
}

export const processIo = (): Io => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
  fetch: (input, init) => fetch(input, init)
})

/** A failure the user can act on: printed as is, exit code 1. */
export class CliFailure extends Error {}

export const step = (io: Io, text: string) => io.err(`› ${text}`)
export const done = (io: Io, text: string) => io.err(`✓ ${text}`)
