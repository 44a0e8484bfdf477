/**
 * One line of `npm run bench`: a figure beside the baseline measured in the same run. Every bench
 * module (bench/*.ts) exports `run(options): Promise<ReadonlyArray<BenchRow>>`; bench/main.ts runs
 * them, prints one table and writes bench/results.json.
 */
export interface BenchRow {
  /** The section, e.g. "ingest", "dispatch", "cold start", "bundle", "tools/call", "scale out". */
  readonly section: string
  /** What was measured, e.g. "Switchboard on Bun" or "bare Bun.serve + bun:sqlite". */
  readonly subject: string
  /** The figures, by name: "req/s", "p50 ms", "p99 ms", "cpu us/req", "peak rss MB", "ms", "bytes gzip". */
  readonly figures: Readonly<Record<string, number>>
  /** The subject this row is compared against, when it is not itself a baseline. */
  readonly baseline?: string
  /** Each target: its description, the measured ratio or value, the limit and whether it holds. */
  readonly targets?: ReadonlyArray<{
    readonly name: string
    readonly value: number
    readonly limit: number
    readonly holds: boolean
  }>
  /** What holds a missed target back, or anything the reader should know. */
  readonly note?: string
}

export interface BenchOptions {
  /** Alternating passes per pair; the figures are medians over them. */
  readonly passes: number
  /** Seconds of warm-up and of measurement per pass (wrk). */
  readonly warmupSeconds: number
  readonly seconds: number
}
