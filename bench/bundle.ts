/**
 * The Worker bundle: what `wrangler deploy --dry-run --outdir` produces from wrangler.toml (every
 * provider, minified as deployed), its size after gzip -9, and how long a fresh V8 takes to parse
 * and evaluate it (a fresh node process importing the file, timed around the import: the work a
 * Worker isolate does before its first request), against an empty Worker bundled the same way.
 * The Worker is uploaded as its start module plus the modules it imports lazily (chunks/: the MCP
 * SDK, on the first /mcp request): the size counts them all, parse and evaluate the start module.
 *
 *     npx tsx bench/bundle.ts [--passes 5]
 */
import { execFile } from "node:child_process"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import type { BenchOptions, BenchRow } from "./BenchRow.ts"
import { runAlone } from "./lib/options.ts"
import { bin, cleanEnv, repoRoot, runToEnd, scratch } from "./lib/processes.ts"
import { median, round } from "./lib/stats.ts"
import { atMost, TARGETS } from "./lib/targets.ts"

const wranglerEnv = (folder: string) => ({
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_LOG_PATH: join(folder, "wrangler-logs"),
  CI: "true",
  NO_COLOR: "1"
})

/** Bundles the Worker of `config` (a wrangler.toml) into `outdir`; returns the bundle's path. */
const bundle = async (config: string, outdir: string, folder: string): Promise<string> => {
  await runToEnd({
    command: bin("wrangler"),
    args: ["deploy", "--dry-run", "--config", config, "--outdir", outdir],
    env: wranglerEnv(folder)
  })
  // Named after the entry; the bundle is an ES module, which node takes a .js file for only under
  // a package.json that says so.
  writeFileSync(join(outdir, "package.json"), JSON.stringify({ type: "module" }))
  const file = readdirSync(outdir).find((name) => name.endsWith(".js"))
  if (file === undefined) throw new Error(`wrangler wrote no bundle into ${outdir}`)
  return join(outdir, file)
}

interface Evaluation {
  readonly ms: number
  readonly cpuMs: number
}

/** Milliseconds (wall and CPU) a fresh node process spends importing the file. */
const evaluate = (file: string): Promise<Evaluation> =>
  new Promise((resolveTime, reject) => {
    execFile(process.execPath, [join(repoRoot, "bench/lib/evaluate.mjs"), file], { env: cleanEnv() }, (error, stdout) => {
      if (error !== null) reject(error)
      else {
        const [ms, cpuMs] = stdout.trim().split(" ").map(Number)
        resolveTime({ ms: ms!, cpuMs: cpuMs! })
      }
    })
  })

const gzipBytes = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).byteLength

/** The modules uploaded beside the start module (wrangler copies them into the outdir's chunks/). */
const chunksOf = (bundleFile: string): ReadonlyArray<string> => {
  const folder = join(bundleFile, "..", "chunks")
  return existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith(".mjs")).map((name) => join(folder, name)) : []
}

/** What a missed bundle target is held back by, as measured when this bench was last changed. */
const heldBack = "Held back by what the Worker runs at start: a start module of about 930 KB minified (298 KB gzip -9 since keep_names is off), " +
  "66% of it Effect (Schema and its AST alone 21%), 16% the providers, 11% the kernel; V8 compiling it is most of " +
  "the parse-and-evaluate time, so deferring its evaluation would not help. The MCP SDK with zod (85 KB gzip -9) " +
  "and the Console's files (39 KB) are already modules of their own, loaded on first use, but count in the upload"

export const run = async (options: BenchOptions): Promise<ReadonlyArray<BenchRow>> => {
  const samples = Math.max(7, options.passes * 3)
  const directory = scratch()
  const folder = directory.path
  try {
    const switchboard = await bundle(join(repoRoot, "wrangler.toml"), join(folder, "switchboard"), folder)
    // The same settings as the real Worker (minified, same compatibility date), another entry.
    const emptyConfig = join(folder, "wrangler.toml")
    const config = readFileSync(join(repoRoot, "wrangler.toml"), "utf8")
    writeFileSync(
      emptyConfig,
      config
        .replace(/^main\s*=.*$/m, `main = ${JSON.stringify(join(repoRoot, "bench/bare/empty-worker.ts"))}`)
        .replace(/^name\s*=.*$/m, `name = "empty"`)
        .replace(/^migrations_dir\s*=.*$/m, "")
        // The empty Worker has no lazy modules to build.
        .replace(/^\[build\]\ncommand\s*=.*$/m, "")
    )
    const empty = await bundle(emptyConfig, join(folder, "empty"), folder)
    const times = { switchboard: [] as Array<Evaluation>, empty: [] as Array<Evaluation> }
    // One import each first, unmeasured: the file reaches the OS cache before anything is timed.
    await evaluate(empty)
    await evaluate(switchboard)
    for (let sample = 0; sample < samples; sample++) {
      times.empty.push(await evaluate(empty))
      times.switchboard.push(await evaluate(switchboard))
    }
    const chunks = chunksOf(switchboard)
    const startSize = gzipBytes(switchboard)
    const size = startSize + chunks.reduce((sum, chunk) => sum + gzipBytes(chunk), 0)
    const ms = median(times.switchboard.map((time) => time.ms))
    const emptyMs = median(times.empty.map((time) => time.ms))
    return [
      {
        section: "bundle",
        subject: "empty Worker",
        figures: {
          "bytes gzip": gzipBytes(empty),
          "bytes": readFileSync(empty).byteLength,
          "ms": round(emptyMs),
          "cpu ms": round(median(times.empty.map((time) => time.cpuMs)))
        }
      },
      {
        section: "bundle",
        subject: "Switchboard Worker (every provider)",
        baseline: "empty Worker",
        figures: {
          "bytes gzip": size,
          "start module bytes gzip": startSize,
          "bytes": [switchboard, ...chunks].reduce((sum, file) => sum + readFileSync(file).byteLength, 0),
          "start module bytes": readFileSync(switchboard).byteLength,
          "ms": round(ms),
          "ms over empty": round(ms - emptyMs),
          "cpu ms": round(median(times.switchboard.map((time) => time.cpuMs)))
        },
        targets: [
          atMost(`gzip -9 bytes (at most ${TARGETS.bundleGzipBytes / 1024} KB)`, size, TARGETS.bundleGzipBytes),
          atMost(`parse and evaluate, ms (at most ${TARGETS.bundleEvaluateMs})`, ms, TARGETS.bundleEvaluateMs)
        ],
        note: `wrangler deploy --dry-run with wrangler.toml's settings; bytes gzip counts the start module and the ${chunks.length} lazily imported one(s), each gzipped; parse and evaluate is the median of ${samples} fresh node processes importing the start module${
          size > TARGETS.bundleGzipBytes || ms > TARGETS.bundleEvaluateMs ? `. ${heldBack}` : ""
        }`
      }
    ]
  } finally {
    directory.remove()
  }
}

await runAlone(import.meta.url, run)
