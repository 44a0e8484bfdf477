/**
 * The bench's command line, for `npm run bench` (bench/main.ts) and for one section run alone
 * (`npx tsx bench/<section>.ts`): `[--quick] [--passes N] [--warmup S] [--seconds S] [section ...]`.
 * `--quick` is one short pass, to see that everything runs; its figures are not the ones to quote.
 */
import { fileURLToPath } from "node:url"
import type { BenchOptions, BenchRow } from "../BenchRow.ts"
import { renderTable } from "./table.ts"

export const DEFAULTS: BenchOptions = { passes: 3, warmupSeconds: 3, seconds: 12 }
export const QUICK: BenchOptions = { passes: 1, warmupSeconds: 1, seconds: 3 }

const VALUED = ["--passes", "--warmup", "--seconds"]

export const parseArgs = (args: ReadonlyArray<string>): {
  readonly options: BenchOptions
  readonly quick: boolean
  /** The sections named, none for all. */
  readonly sections: ReadonlyArray<string>
} => {
  const quick = args.includes("--quick")
  const defaults = quick ? QUICK : DEFAULTS
  // No warm-up (0) is allowed; no pass or no measured second is not.
  const value = (flag: string, fallback: number, least: number) => {
    const index = args.indexOf(flag)
    if (index < 0) return fallback
    const parsed = Number(args[index + 1])
    if (!Number.isFinite(parsed) || parsed < least) throw new Error(`${flag} takes a number of at least ${least}, not "${args[index + 1] ?? ""}"`)
    return parsed
  }
  return {
    options: {
      passes: value("--passes", defaults.passes, 1),
      warmupSeconds: value("--warmup", defaults.warmupSeconds, 0),
      seconds: value("--seconds", defaults.seconds, 1)
    },
    quick,
    sections: args.filter((arg, index) => !arg.startsWith("--") && !VALUED.includes(args[index - 1] ?? ""))
  }
}

/**
 * At the end of a section's module: when it is the process's entry (not imported by bench/main.ts),
 * runs it with the command line's options and prints its table.
 */
export const runAlone = async (url: string, run: (options: BenchOptions) => Promise<ReadonlyArray<BenchRow>>): Promise<void> => {
  if (process.argv[1] === undefined || fileURLToPath(url) !== process.argv[1]) return
  process.stdout.write(renderTable(await run(parseArgs(process.argv.slice(2)).options)))
}
