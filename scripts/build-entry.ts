/**
 * A runtime's entry as one compiled file: `runtimes/<runtime>/main.ts` and everything it imports,
 * bundled and minified by esbuild into `build/<runtime>/main.mjs` and its chunks (SQLite drivers stay external:
 * a native addon on Node, a built-in module on Bun). Node 20 runs TypeScript only through a
 * loader, and tsx compiling hundreds of modules at every start took seconds; Bun transpiles
 * each module it loads. One tree-shaken file starts in a fraction of either.
 * `npm run start:node` and `npm run start:bun` run this first (prestart), so a fresh clone needs
 * no separate step.
 *
 *     npx tsx scripts/build-entry.ts node|bun
 */
import { build } from "esbuild"
import { rmSync } from "node:fs"
import { join, resolve } from "node:path"

export type BuiltRuntime = "node" | "bun"

const root = resolve(import.meta.dirname, "..")

export const entryBuildFile = (runtime: BuiltRuntime): string => join(root, "build", runtime, "main.mjs")

export const buildEntry = async (runtime: BuiltRuntime): Promise<void> => {
  // A fresh folder: chunks are named by content hash, and old ones would pile up.
  rmSync(join(root, "build", runtime), { recursive: true, force: true })
  await build({
    entryPoints: [join(root, "runtimes", runtime, "main.ts")],
    outdir: join(root, "build", runtime),
    entryNames: "main",
    // What is imported lazily (the MCP SDK, on the first /mcp request) goes in its own chunk,
    // so a start neither parses nor evaluates it.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: runtime === "node" ? "node20" : "esnext",
    minify: true,
    // Stack traces stay readable with `node --enable-source-maps` (Bun reads the map itself).
    sourcemap: "linked",
    external: ["better-sqlite3", "bun:sqlite"],
    // The bundle is ESM; CommonJS dependencies inside it still call require for Node's built-ins.
    banner: { js: "import { createRequire as __switchboardRequire } from \"node:module\"; const require = __switchboardRequire(import.meta.url);" },
    logLevel: "warning"
  })
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const runtime = process.argv[2]
  if (runtime !== "node" && runtime !== "bun") throw new Error("usage: tsx scripts/build-entry.ts node|bun")
  await buildEntry(runtime)
}
