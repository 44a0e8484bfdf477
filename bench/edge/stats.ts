/** Small statistics for the edge benches: medians over passes, percentiles over samples. */

export const median = (values: ReadonlyArray<number>): number => percentile(values, 50)

/** The nearest-rank percentile (0-100) of the values; NaN for none. */
export const percentile = (values: ReadonlyArray<number>, p: number): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

/** Rounds for the table: three significant decimals below 10, one below 1000, none above. */
export const round = (value: number): number =>
  Math.abs(value) < 10 ? Math.round(value * 1000) / 1000 : Math.abs(value) < 1000 ? Math.round(value * 10) / 10 : Math.round(value)

export const target = (name: string, value: number, limit: number, direction: "at most" | "at least") => ({
  name,
  value: round(value),
  limit,
  holds: direction === "at most" ? value <= limit : value >= limit
})
