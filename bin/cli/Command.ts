/** A command: its words (`keys generate`), help, and a run over parsed arguments. */
import { parseArgs, type ParseArgsConfig } from "node:util"
import { CliFailure, type Io } from "./Io.ts"

export interface Command {
  /** The words that select it: `["keys", "generate"]`. */
  readonly words: ReadonlyArray<string>
  readonly summary: string
  /** Usage and options, shown by `--help`. */
  readonly help: string
  readonly run: (args: ReadonlyArray<string>, io: Io) => Promise<void>
}

type Options = NonNullable<ParseArgsConfig["options"]>

/** `node:util` parseArgs, strict; a mistake becomes a `CliFailure` that points at `--help`. */
// The return type is spelled out: declaration emit (the package build) cannot name parseArgs' own.
export const parse = <O extends Options>(
  command: string,
  args: ReadonlyArray<string>,
  options: O
): ReturnType<typeof parseArgs<{ args: Array<string>; options: O; allowPositionals: true; strict: true }>> => {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new CliFailure(`${error instanceof Error ? error.message : String(error)}\nSee: switchboard ${command} --help`)
  }
}

/** A string option, or undefined (parseArgs types every value as string | boolean). */
export const text = (value: string | boolean | ReadonlyArray<string | boolean> | undefined): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined
