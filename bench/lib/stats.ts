/** Medians over passes (the middle value, or the mean of the two middle ones), and rounding for the table. */

export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : ((sorted[middle - 1]! + sorted[middle]!) / 2)
}

/** Each figure's median over the passes (the figures of the first pass name them). */
export const medians = <Pass extends { readonly [figure: string]: number }>(passes: ReadonlyArray<Pass>): Record<string, number> => {
  const first = passes[0]
  if (first === undefined) return {}
  return Object.fromEntries(Object.keys(first).map((name) => [name, median(passes.map((pass) => pass[name] ?? Number.NaN))]))
}

/** Three decimals below 10, one below 1000, none above. */
export const round = (value: number): number =>
  Math.abs(value) < 10 ? Math.round(value * 1000) / 1000 : Math.abs(value) < 1000 ? Math.round(value * 10) / 10 : Math.round(value)
