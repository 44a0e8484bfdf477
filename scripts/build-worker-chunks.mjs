// The Worker's lazily loaded modules, built before wrangler bundles the Worker (wrangler.toml's
// `[build] command`) into runtimes/workers/chunks/: mcp-server.mjs, the MCP protocol module
// (kernel/mcp/McpServer.ts with the MCP SDK and zod, a quarter of the Worker's code), and
// console-assets.mjs, the Console's embedded files (console/assets.ts), each bundled on its own.
// wrangler uploads them as separate modules (`find_additional_modules`) and leaves the Worker's
// `import()` of them alone, so an isolate parses and evaluates one on the first request that
// needs it (/mcp, the Console) instead of at every start. Neither entry has Effect at run time,
// so the chunks share no module with the Worker.
// Plain JavaScript run by bare node: wrangler runs it from wherever its wrangler.toml is, with
// no TypeScript loader, and esbuild resolves from this file's folder.
//
//     node scripts/build-worker-chunks.mjs
import { build } from "esbuild"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")

await build({
  entryPoints: [
    { in: join(root, "kernel", "mcp", "McpServer.ts"), out: "mcp-server" },
    { in: join(root, "console", "assets.ts"), out: "console-assets" }
  ],
  outdir: join(root, "runtimes", "workers", "chunks"),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: "esm",
  // What wrangler resolves a Worker's imports with: the SDK's workerd exports (the cfworker
  // validator's shims, no Ajv).
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
  target: "es2024",
  minify: true,
  logLevel: "error"
})
