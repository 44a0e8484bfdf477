/** Running one bench module alone: `npx tsx bench/<name>.ts` prints its rows. */
import { fileURLToPath } from "node:url"
import type { BenchOptions, BenchRow } from "../BenchRow.ts"

/** True when the module at `url` is the process's entry (not imported by bench/main.ts). */
export const isEntry = (url: string): boolean => process.argv[1] !== undefined && fileURLToPath(url) === process.argv[1]

export const defaultOptions: BenchOptions = { passes: 3, warmupSeconds: 3, seconds: 12 }

/** `--passes N --seconds N --warmup N` over the defaults. */
export const optionsFromArgs = (args: ReadonlyArray<string>): BenchOptions => {
  const value = (flag: string, fallback: number) => {
    const index = args.indexOf(flag)
    const parsed = index < 0 ? Number.NaN : Number(args[index + 1])
    return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback
  }
  return {
    passes: value("--passes", defaultOptions.passes),
    warmupSeconds: value("--warmup", defaultOptions.warmupSeconds),
    seconds: value("--seconds", defaultOptions.seconds)
  }
}

export const printRows = (rows: ReadonlyArray<BenchRow>): void => {
  for (const row of rows) {
    const figures = Object.entries(row.figures).map(([name, value]) => `${name} ${value}`).join(", ")
    console.log(`${row.section} | ${row.subject} | ${figures}${row.baseline === undefined ? "" : ` | vs ${row.baseline}`}`)
    for (const target of row.targets ?? []) {
      console.log(`    ${target.holds ? "holds" : "MISSED"}: ${target.name}: ${target.value} (limit ${target.limit})`)
    }
    if (row.note !== undefined) console.log(`    note: ${row.note}`)
  }
}

export const runAlone = async (url: string, run: (options: BenchOptions) => Promise<ReadonlyArray<BenchRow>>) => {
  if (!isEntry(url)) return
  printRows(await run(optionsFromArgs(process.argv.slice(2))))
}
