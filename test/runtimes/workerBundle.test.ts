/**
 * The Worker as wrangler uploads it (`wrangler deploy --dry-run` with the repository's
 * wrangler.toml): the MCP SDK and the Console's files are modules of their own
 * (runtimes/workers/chunks/), imported on the first /mcp or Console request, so an isolate's
 * start neither parses nor evaluates them. That /mcp and the Console still work through the
 * chunks on workerd is the runtime matrix's and the README test's job.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { version } from "../../console/assets.ts"
import { bin, inheritedEnv, repoRoot, runToCompletion } from "../matrix/processes.ts"

const runDir = mkdtempSync(join(tmpdir(), "switchboard-worker-bundle-"))
afterAll(() => rmSync(runDir, { recursive: true, force: true }))

/** A string only the MCP SDK's server holds (an error message): present in a file means the SDK is in it. */
const sdkMarker = "This MCP handler has been closed"

describe("the Worker bundle", { timeout: 120_000 }, () => {
  it("leaves the MCP SDK and the Console's files out of the start module, in chunks uploaded beside it and imported lazily", async () => {
    const outdir = join(runDir, "bundle")
    await runToCompletion(
      {
        command: bin("wrangler"),
        args: ["deploy", "--dry-run", "--outdir", outdir],
        env: { ...inheritedEnv(), WRANGLER_SEND_METRICS: "false", WRANGLER_LOG_PATH: join(runDir, "logs"), CI: "true", NO_COLOR: "1" },
        cwd: repoRoot
      },
      join(runDir, "wrangler.log"),
      90_000
    )
    const start = readFileSync(join(outdir, "main.js"), "utf8")
    // Booleans, not the bundle's text: a failure would print a megabyte.
    expect(start.includes(sdkMarker)).toBe(false)
    expect(start.includes(`import("./chunks/mcp-server.mjs")`)).toBe(true)
    expect(existsSync(join(outdir, "chunks", "mcp-server.mjs"))).toBe(true)
    expect(readFileSync(join(outdir, "chunks", "mcp-server.mjs"), "utf8").includes(sdkMarker)).toBe(true)
    // The Console's files, known by their version (a hash of them): only in their chunk.
    expect(start.includes(version)).toBe(false)
    expect(start.includes(`import("./chunks/console-assets.mjs")`)).toBe(true)
    expect(readFileSync(join(outdir, "chunks", "console-assets.mjs"), "utf8").includes(version)).toBe(true)
  })
})
