/** The bench's printed table: per section, each subject's figures, its baseline and its targets. */
import type { BenchRow } from "../BenchRow.ts"

const format = (value: number): string =>
  !Number.isFinite(value) ? "-" : Math.abs(value) >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(value >= 10 ? 1 : 2)

export const renderTable = (rows: ReadonlyArray<BenchRow>): string => {
  const lines: Array<string> = []
  const sections = [...new Set(rows.map((row) => row.section))]
  for (const section of sections) {
    const inSection = rows.filter((row) => row.section === section)
    const names = [...new Set(inSection.flatMap((row) => Object.keys(row.figures)))]
    const header = ["subject", ...names]
    const body = inSection.map((row) => [row.subject, ...names.map((name) => format(row.figures[name] ?? Number.NaN))])
    const widths = header.map((cell, index) => Math.max(cell.length, ...body.map((line) => (line[index] ?? "").length)))
    const render = (cells: ReadonlyArray<string>) =>
      `| ${cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join(" | ")} |`
    lines.push("", `## ${section}`, "", render(header), `|${widths.map((width, index) => (index === 0 ? "-" : "").padEnd(width + 1, "-") + (index === 0 ? "-" : ":")).join("|")}|`)
    for (const line of body) lines.push(render(line))
    for (const row of inSection) {
      for (const target of row.targets ?? []) {
        lines.push(`  ${target.holds ? "HOLDS" : "MISSED"}  ${row.subject}: ${target.name} = ${format(target.value)} (limit ${format(target.limit)})${row.baseline === undefined ? "" : ` [baseline: ${row.baseline}]`}`)
      }
      if (row.note !== undefined) lines.push(`  note  ${row.subject}: ${row.note}`)
    }
  }
  return `${lines.join("\n")}\n`
}
