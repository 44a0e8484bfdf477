/**
 * A runtime's entry compiled: `runtimes/<runtime>/main.ts` and everything it imports, bundled
 * and minified by esbuild (SQLite drivers stay external: a native addon on Node, a built-in
 * module on Bun): `build/node/main.mjs` with its chunks, `build/bun/main.js` with its bytecode.
 * Node 20 runs TypeScript only through a loader, and tsx compiling hundreds of modules at every
 * start took seconds; Bun transpiles each module it loads. One tree-shaken file starts in a
 * fraction of either.
 * `npm run start:node` and `npm run start:bun` run this first (prestart), so a fresh clone needs
 * no separate step.
 *
 *     npx tsx scripts/build-entry.ts node|bun
 */
import { build, type BuildOptions } from "esbuild"
import { execFileSync } from "node:child_process"
import { rmSync } from "node:fs"
import { join, resolve } from "node:path"

export type BuiltRuntime = "node" | "bun"

const root = resolve(import.meta.dirname, "..")

export const entryBuildFile = (runtime: BuiltRuntime): string =>
  runtime === "node" ? join(root, "build", "node", "main.mjs") : join(root, "build", "bun", "main.js")

export const buildEntry = async (runtime: BuiltRuntime): Promise<void> => {
  // A fresh folder: chunks are named by content hash, and old ones would pile up.
  rmSync(join(root, "build", runtime), { recursive: true, force: true })
  if (runtime === "node") await buildNode()
  else await buildBun()
}

/**
 * Bun: one CommonJS bundle (esbuild), then compiled to JavaScriptCore bytecode by `bun build
 * --bytecode` (main.js beside main.js.jsc, which Bun loads instead of parsing the source: a
 * quarter less CPU to the first answer). Bun takes bytecode only for CommonJS outside a
 * standalone executable, hence no splitting here: the MCP SDK is still evaluated only on the
 * first `/mcp` request (the bundle wraps lazily imported modules), it is just parsed ahead.
 * The bytecode is tied to the Bun that built it: rebuilt at every `npm run start:bun`.
 */
const buildBun = async (): Promise<void> => {
  const staging = join(root, "build", "bun", "staging")
  await build({
    ...common,
    entryPoints: [join(root, "runtimes", "bun", "main.ts")],
    outfile: join(staging, "main.js"),
    format: "cjs",
    target: "esnext",
    sourcemap: false
  })
  const bun = join(root, "node_modules", ".bin", "bun")
  execFileSync(bun, ["build", join(staging, "main.js"), "--target=bun", "--bytecode", "--format=cjs", "--outdir", join(root, "build", "bun")], {
    stdio: ["ignore", "ignore", "inherit"]
  })
  rmSync(staging, { recursive: true, force: true })
}

const buildNode = async (): Promise<void> => {
  await build({
    ...common,
    entryPoints: [join(root, "runtimes", "node", "main.ts")],
    outdir: join(root, "build", "node"),
    entryNames: "main",
    // What is imported lazily (the MCP SDK, on the first /mcp request) goes in its own chunk,
    // so a start neither parses nor evaluates it.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    format: "esm",
    target: "node20",
    // Stack traces stay readable with `node --enable-source-maps`.
    sourcemap: "linked",
    // The bundle is ESM; CommonJS dependencies inside it still call require for Node's built-ins.
    banner: { js: "import { createRequire as __switchboardRequire } from \"node:module\"; const require = __switchboardRequire(import.meta.url);" }
  })
}

const common: BuildOptions = {
  bundle: true,
  platform: "node",
  minify: true,
  external: ["better-sqlite3", "bun:sqlite"],
  // The MCP SDK picks its default JSON Schema validator by export condition: Ajv for Node and
  // Bun, which Switchboard never uses (it passes the cfworker validator, as on Workers). The
  // Workers shim brings that one instead, so Ajv stays out of the build.
  alias: { "@modelcontextprotocol/server/_shims": join(root, "node_modules/@modelcontextprotocol/server/dist/shimsWorkerd.mjs") },
  // Errors only: the CommonJS bundle warns that it has no import.meta, which Effect's
  // ConfigProvider only probes (`import.meta?.env`) and does without.
  logLevel: "error"
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const runtime = process.argv[2]
  if (runtime !== "node" && runtime !== "bun") throw new Error("usage: tsx scripts/build-entry.ts node|bun")
  await buildEntry(runtime)
}
