/**
 * `npm run bench [-- [--quick] [--passes N] [--warmup S] [--seconds S] [section ...]]` (bench/lib/options.ts):
 * runs every bench module in bench/
 * (each exports `run(options)` returning `BenchRow`s; a section is named by its file, e.g.
 * `ingest`, `dispatch`, `scale`), prints one table with each figure beside its same-run baseline
 * and whether each target holds, and writes bench/results.json. `--quick` is one short pass, to
 * see that everything runs; its figures are not the ones to quote. `BENCH_ONLY=bun,octokit` limits
 * the ingest and dispatch sections to the subjects whose names hold one of the words.
 */
import { readdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import type { BenchOptions, BenchRow } from "./BenchRow.ts"
import { parseArgs } from "./lib/options.ts"
import { renderTable } from "./lib/table.ts"
import { ensureWrk } from "./lib/wrk.ts"

const { options, quick, sections: wanted } = parseArgs(process.argv.slice(2))

const NOT_MODULES = new Set(["main.ts", "BenchRow.ts"])
const modules = readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith(".ts") && !NOT_MODULES.has(file))
  .map((file) => file.slice(0, -3))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
for (const name of wanted) {
  if (!modules.includes(name)) throw new Error(`No bench section "${name}" (bench/${name}.ts)`)
}

ensureWrk()
const rows: Array<BenchRow> = []
const failures: Array<string> = []
for (const name of modules) {
  process.stderr.write(`bench ${name} (${options.passes} pass(es), ${options.warmupSeconds} s warm-up, ${options.seconds} s measured)\n`)
  const module: { readonly run?: (options: BenchOptions) => Promise<ReadonlyArray<BenchRow>> } = await import(pathToFileURL(join(import.meta.dirname, `${name}.ts`)).href)
  if (module.run === undefined) continue
  try {
    rows.push(...(await module.run(options)))
  } catch (error) {
    // One broken section must not lose the others' figures.
    failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

const results = { at: new Date().toISOString(), options, quick, rows, failures }
writeFileSync(join(import.meta.dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`)
process.stdout.write(renderTable(rows))
for (const failure of failures) process.stdout.write(`FAILED ${failure}\n`)
process.stdout.write(`written to bench/results.json\n`)
process.exitCode = failures.length > 0 ? 1 : 0
