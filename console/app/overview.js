// Overview: the last hour per minute and provider (GET /v1/overview), drawn with uPlot (served
// from this Console, see console/build.ts), and the webhooks refused for this tenant.
import { api, integrationOf } from "./api.js"
import { h, replace, shortTime, tableOf, time } from "./dom.js"
import { state } from "./state.js"
import uPlot from "./uplot.js"

// One colour per provider, readable on the light and the dark background alike.
const PALETTE = ["#1f77b4", "#d95f02", "#1b9e77", "#e7298a", "#7570b3", "#a6761d"]

const CHARTS = [
  ["deliveries", "Deliveries", "webhook deliveries received per minute"],
  ["rejections", "Rejected webhooks", "webhook requests refused per minute"],
  ["dispatchLatencyMs", "Dispatch latency (ms)", "mean milliseconds from a dispatch's enqueue to its delivery"],
  ["toolCalls", "Tool calls", "MCP tool calls per minute (this server process)"],
  ["deadLetters", "Dead letters", "dispatches that ended in the dead-letter queue per minute"]
]

// The live charts, by series name, so a refresh updates them in place.
const charts = new Map()

export async function loadOverview() {
  const [overview, rejected] = await Promise.all([api("/v1/overview"), api("/v1/webhooks/rejected?limit=20")])
  state.overview = overview
  state.rejected = rejected.rejected
}

const providerName = (id) => integrationOf(id)?.displayName ?? id

// uPlot's time axis is in seconds; each provider is one line.
const dataOf = (overview, key) => [
  overview.minutes.map((minute) => minute / 1000),
  ...overview.providers.map((id) => overview.series[key][id])
]

// The page's text colour (light or dark scheme) for the axes; the grid stays faint in both.
const axis = () => ({ stroke: getComputedStyle(document.body).color, grid: { stroke: "rgba(128,128,128,0.25)" } })

function chartOptions(overview, key, width) {
  return {
    width,
    height: 180,
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_, min, max) => [0, Math.max(1, max ?? 0)] } },
    axes: [axis(), axis()],
    series: [
      {},
      ...overview.providers.map((id, index) => ({
        label: providerName(id),
        stroke: PALETTE[index % PALETTE.length],
        width: 2,
        spanGaps: key !== "dispatchLatencyMs",
        // Latency has gaps (minutes without a delivery): a lone minute shows as a point.
        points: { show: key === "dispatchLatencyMs" }
      }))
    ]
  }
}

const total = (overview, key) => overview.providers.map((id) => [id, overview.series[key][id].reduce((sum, value) => sum + (value ?? 0), 0)])

function summaryOf(overview, key) {
  if (key === "dispatchLatencyMs") {
    const values = overview.providers.flatMap((id) => overview.series[key][id].filter((value) => value !== null))
    return values.length === 0 ? "Nothing delivered in the last hour." : `Mean per minute between ${Math.min(...values)} and ${Math.max(...values)} ms.`
  }
  const totals = total(overview, key).filter(([, count]) => count > 0)
  return totals.length === 0 ? "None in the last hour." : `Last hour: ${totals.map(([id, count]) => `${providerName(id)} ${count}`).join(", ")}.`
}

function rejectedTable() {
  const rows = (state.rejected ?? []).map((entry) =>
    h(
      "tr",
      {},
      h("td", {}, time(entry.receivedAt)),
      h("td", {}, providerName(entry.providerId)),
      h("th", { scope: "row" }, String(entry.status), " ", h("code", {}, entry.reason)),
      h("td", {}, entry.message),
      h("td", {}, h("details", {}, h("summary", {}, `${Object.keys(entry.headers).length} headers`), h("pre", {}, JSON.stringify(entry.headers, null, 2))))
    )
  )
  return tableOf(
    "Webhooks refused for this tenant",
    ["Received", "Provider", "Answer", "Why", "Headers"],
    rows,
    "No webhook was refused for this tenant. (Refusals that cannot name a tenant, such as a bad signature on the deployment's app, are listed for the operator: GET /v1/admin/webhooks/rejected.)"
  )
}

export function renderOverview() {
  charts.clear()
  const overview = state.overview
  if (!overview) return h("p", { className: "empty" }, "Loading…")
  const width = Math.max(280, Math.min(560, (document.getElementById("app")?.clientWidth ?? 600) - 48))
  const figures = CHARTS.map(([key, title, description]) => {
    const plot = h("div", { className: "chart-plot" })
    const summary = h("p", { className: "hint chart-summary" }, summaryOf(overview, key))
    const chart = new uPlot(chartOptions(overview, key, width), dataOf(overview, key), plot)
    charts.set(key, { chart, summary })
    return h(
      "figure",
      { className: "card chart", "data-chart": key, "aria-label": `${title}: ${description}` },
      h("figcaption", {}, h("strong", {}, title), " ", h("span", { className: "hint" }, description)),
      plot,
      summary
    )
  })
  const from = shortTime(overview.minutes[0])
  return [
    h("p", { className: "lead" }, `The last hour, per minute, since ${from}. Refreshes every few seconds.`),
    h("div", { className: "charts" }, figures),
    h("div", { id: "rejected-webhooks" }, rejectedTable())
  ]
}

// A refresh keeps the charts and gives them the new minutes; a new provider list redraws.
export function updateOverview() {
  const overview = state.overview
  if (!overview || charts.size === 0) return false
  for (const [key, { chart, summary }] of charts) {
    if (chart.series.length !== overview.providers.length + 1) return false
    chart.setData(dataOf(overview, key))
    replace(summary, summaryOf(overview, key))
  }
  const rejected = document.getElementById("rejected-webhooks")
  if (rejected && !rejected.querySelector("details[open]")) replace(rejected, rejectedTable())
  return true
}
