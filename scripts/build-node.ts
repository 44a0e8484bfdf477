/**
 * The Node entry as one compiled file: `runtimes/node/main.ts` and everything it imports bundled
 * by esbuild into `build/node/main.mjs` (better-sqlite3 stays external: a native addon). Node 20
 * runs TypeScript only through a loader, and tsx compiling hundreds of modules at every start
 * took seconds; one tree-shaken file starts in a fraction of that. `npm run start:node` runs this
 * first (prestart), so a fresh clone needs no separate step.
 *
 *     npx tsx scripts/build-node.ts
 */
import { build } from "esbuild"
import { join, resolve } from "node:path"

export const nodeBuildFile = join(resolve(import.meta.dirname, ".."), "build/node/main.mjs")

export const buildNode = async (): Promise<void> => {
  await build({
    entryPoints: [join(resolve(import.meta.dirname, ".."), "runtimes/node/main.ts")],
    outfile: nodeBuildFile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    // Stack traces stay readable with `node --enable-source-maps build/node/main.mjs`.
    sourcemap: "linked",
    external: ["better-sqlite3"],
    // The bundle is ESM; CommonJS dependencies inside it still call require for Node's built-ins.
    banner: { js: "import { createRequire as __switchboardRequire } from \"node:module\"; const require = __switchboardRequire(import.meta.url);" },
    logLevel: "warning"
  })
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) await buildNode()
