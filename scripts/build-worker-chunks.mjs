// The Worker's lazily loaded modules, built before wrangler bundles the Worker (wrangler.toml's
// `[build] command`): runtimes/workers/chunks/mcp-server.mjs, the MCP protocol module
// (kernel/mcp/McpServer.ts with the MCP SDK and zod, a quarter of the Worker's code) bundled on
// its own. wrangler uploads it as a separate module (`find_additional_modules`) and leaves the
// Worker's `import()` of it alone, so an isolate parses and evaluates it on its first /mcp
// request instead of at every start. McpServer.ts has no Effect at run time, so the chunk shares
// no module with the Worker.
// Plain JavaScript run by bare node: wrangler runs it from wherever its wrangler.toml is, with
// no TypeScript loader, and esbuild resolves from this file's folder.
//
//     node scripts/build-worker-chunks.mjs
import { build } from "esbuild"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")

await build({
  entryPoints: [join(root, "kernel", "mcp", "McpServer.ts")],
  outfile: join(root, "runtimes", "workers", "chunks", "mcp-server.mjs"),
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
