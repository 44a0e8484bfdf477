/**
 * The store conformance suite on D1, in workerd, offline: `npx tsx test/store/run-d1.ts`.
 * Applies the migrations folder with `wrangler d1 migrations apply --local` (as a deploy would),
 * starts `d1/worker.ts` with wrangler's `unstable_startWorker` on a fresh local D1, asks it to
 * run the suite, and prints the results as one JSON line after the marker.
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { unstable_startWorker } from "wrangler"
import type { CaseResult } from "./conformance.ts"
import { printResults } from "./runSqlite.ts"

process.env["WRANGLER_SEND_METRICS"] = "false"
// Offline: use miniflare's placeholder `Request.cf` instead of fetching it from Cloudflare.
process.env["CLOUDFLARE_CF_FETCH_ENABLED"] = "false"
const config = fileURLToPath(new URL("d1/wrangler.toml", import.meta.url))
const wrangler = fileURLToPath(new URL("../../node_modules/wrangler/bin/wrangler.js", import.meta.url))
const persist = mkdtempSync(join(tmpdir(), "switchboard-d1-"))

// If the reader goes away, still dispose of workerd and remove the database below.
process.stdout.on("error", () => {})

const isResults = (value: unknown): value is ReadonlyArray<CaseResult> =>
  Array.isArray(value) &&
  value.every((item) => typeof item === "object" && item !== null && "name" in item && "ok" in item)

try {
  execFileSync(process.execPath, [wrangler, "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist, "-c", config], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CI: "true" }
  })
  const worker = await unstable_startWorker({
    config,
    sendMetrics: false,
    dev: { persist, watch: false, inspector: false, logLevel: "warn", server: { hostname: "127.0.0.1", port: 0 } }
  })
  try {
    const response = await worker.fetch("http://conformance.local/")
    const body: unknown = await response.json()
    if (!isResults(body)) throw new Error(`unexpected response ${response.status}: ${JSON.stringify(body).slice(0, 500)}`)
    printResults(body)
  } finally {
    await worker.dispose()
  }
} finally {
  rmSync(persist, { recursive: true, force: true })
}
