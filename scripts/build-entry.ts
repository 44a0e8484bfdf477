/**
 * A runtime's entry compiled: `runtimes/<runtime>/main.ts` and everything it imports, bundled
 * and minified by esbuild (SQLite drivers stay external: a native addon on Node, a built-in
 * module on Bun): `build/node/main.mjs` with its CommonJS apps and their V8 code cache,
 * `build/bun/main.js` with its bytecode.
 * Node 20 runs TypeScript only through a loader, and tsx compiling hundreds of modules at every
 * start took seconds; Bun transpiles each module it loads. One tree-shaken file starts in a
 * fraction of either.
 * `npm run start:node` and `npm run start:bun` run this first (prestart), so a fresh clone needs
 * no separate step.
 *
 *     npx tsx scripts/build-entry.ts node|bun
 */
import { build, type BuildOptions, type Plugin } from "esbuild"
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { trainCodeCache } from "./nodeCodeCache.ts"

export type BuiltRuntime = "node" | "bun"

const root = resolve(import.meta.dirname, "..")

export const entryBuildFile = (runtime: BuiltRuntime): string =>
  runtime === "node" ? join(root, "build", "node", "main.mjs") : join(root, "build", "bun", "main.js")

export const buildEntry = async (runtime: BuiltRuntime): Promise<void> => {
  // A fresh folder: the Node code cache is named by its source's hash, and old ones would pile up.
  rmSync(join(root, "build", runtime), { recursive: true, force: true })
  if (runtime === "node") await buildNode()
  else await buildBun()
}

/**
 * Bun: CommonJS bundles (esbuild), then compiled to JavaScriptCore bytecode by `bun build
 * --bytecode` (each file beside its `.jsc`, which Bun loads instead of parsing the source: a
 * quarter less CPU to the first answer). Bun takes bytecode only for CommonJS outside a
 * standalone executable, hence no splitting. The bytecode is tied to the Bun that built it:
 * rebuilt at every `npm run start:bun`.
 *
 * `main.js` is runtimes/bun/launch.ts: it runs `app-sqlite.js` or `app-postgres.js`, both
 * `main.ts`, the first without the Postgres modules (`sqliteOnly`). What is loaded lazily and has
 * no Effect at run time is a file of its own that the app imports on first use (`lazyFiles`):
 * the MCP SDK with zod (kernel/mcp/McpServer.ts) and the Console's files, a third of the code,
 * which a start then does not load.
 * Without splitting, esbuild wraps every module a lazy import reaches in an init function, the
 * `effect` barrels included, and a wrapped barrel initialises each module it re-exports: all of
 * Effect (Cron, BigDecimal, Arbitrary ...) at start. That is what the Postgres modules' imports
 * still do in `app-postgres.js`; `effectSubpaths` has our sources import each Effect module by
 * its own path instead, so a start evaluates only the Effect modules it uses.
 */
const buildBun = async (): Promise<void> => {
  const staging = join(root, "build", "bun", "staging")
  const main = join(root, "runtimes", "bun", "main.ts")
  const entries: ReadonlyArray<{ readonly in: string; readonly out: string; readonly plugins: ReadonlyArray<Plugin> }> = [
    { in: join(root, "runtimes", "bun", "launch.ts"), out: "main", plugins: [] },
    { in: main, out: "app-sqlite", plugins: [effectSubpaths, lazyFilesPlugin(".js"), sqliteOnly] },
    { in: main, out: "app-postgres", plugins: [effectSubpaths, lazyFilesPlugin(".js")] },
    ...lazyFiles.map((file) => ({ in: join(root, file.source), out: file.out, plugins: [effectSubpaths] }))
  ]
  // Files beside each other in build/bun, which one imports from another at run time.
  const siblings = ["app-sqlite", "app-postgres", ...lazyFiles.map((file) => file.out)].map((out) => `./${out}.js`)
  for (const entry of entries) {
    const built = await build({
      ...common,
      external: [...common.external ?? [], ...siblings],
      plugins: [...entry.plugins],
      entryPoints: [entry.in],
      outfile: join(staging, `${entry.out}.js`),
      format: "cjs",
      target: "esnext",
      sourcemap: false,
      // The metafile's paths relative to the repository, whatever folder the build runs from.
      absWorkingDir: root,
      metafile: true
    })
    if (lazyFiles.some((file) => file.out === entry.out)) assertStandalone(entry.in, Object.keys(built.metafile.inputs))
  }
  const bun = join(root, "node_modules", ".bin", "bun")
  for (const entry of entries) {
    execFileSync(bun, [
      "build",
      join(staging, `${entry.out}.js`),
      "--target=bun",
      "--bytecode",
      "--format=cjs",
      // An import of a sibling stays an import of the file beside it, at run time.
      ...siblings.map((file) => `--external=${file}`),
      "--outdir",
      join(root, "build", "bun")
    ], {
      // From the staging folder: Bun matches a relative `--external` against the working directory.
      cwd: staging,
      stdio: ["ignore", "ignore", "inherit"]
    })
  }
  rmSync(staging, { recursive: true, force: true })
}

/**
 * For `app-sqlite.js`: the Postgres modules that runtimes/shared/database.ts imports when
 * SWITCHBOARD_DATABASE_URL names Postgres become one that says so, since the launcher runs
 * `app-postgres.js` then.
 */
const sqliteOnly: Plugin = {
  name: "sqlite-only",
  setup: (plugin) => {
    plugin.onResolve({ filter: /^\.\.\/\.\.\/adapters\/postgres\/\w+\.ts$/ }, (args) =>
      resolve(args.importer) === join(root, "runtimes", "shared", "database.ts") ? { path: args.path, namespace: "sqlite-only" } : undefined)
    plugin.onLoad({ filter: /.*/, namespace: "sqlite-only" }, () => ({
      contents: "throw new Error(\"app-sqlite has no Postgres: the built entry runs app-postgres for a postgres:// SWITCHBOARD_DATABASE_URL\")",
      loader: "js"
    }))
  }
}

/**
 * Modules imported lazily that import nothing of Effect or the kernel at run time (their own
 * doc comments say so; Workers load the same two as chunks of their own, scripts/build-worker-chunks.mjs),
 * so a bundle of their own shares no module state with main.js.
 */
const lazyFiles: ReadonlyArray<{ readonly importer: string; readonly specifier: string; readonly source: string; readonly out: string }> = [
  { importer: "kernel/mcp/Mcp.ts", specifier: "./McpServer.ts", source: "kernel/mcp/McpServer.ts", out: "mcp-server" },
  { importer: "console/loadAssets.ts", specifier: "./assets.ts", source: "console/assets.ts", out: "console-assets" }
]

/**
 * The app's `import("./McpServer.ts")` becomes `import("./mcp-server.js")` (`.cjs` on Node, whose
 * `.js` files are ES modules in this package), the file beside it.
 */
const lazyFilesPlugin = (extension: ".js" | ".cjs"): Plugin => ({
  name: "lazy-files",
  setup: (plugin) => {
    plugin.onResolve({ filter: /^\.\/(McpServer|assets)\.ts$/ }, (args) => {
      const file = lazyFiles.find((candidate) =>
        args.kind === "dynamic-import" && candidate.specifier === args.path && resolve(args.importer) === join(root, candidate.importer)
      )
      return file === undefined ? undefined : { path: `./${file.out}${extension}`, external: true }
    })
  }
})

/**
 * A lazy file's bundle holding Effect or another of our modules would run a second copy of it,
 * whose services and state main.js never sees: refused at build time instead.
 */
const assertStandalone = (source: string, inputs: ReadonlyArray<string>): void => {
  const shared = inputs.filter((input) =>
    input.includes("node_modules/effect/") || (!input.includes("node_modules/") && resolve(root, input) !== source)
  )
  if (shared.length > 0) throw new Error(`${source} is built as a file of its own but brings in ${shared.join(", ")}`)
}

/**
 * Node: CommonJS bundles like Bun's (the same `effectSubpaths`, `lazyFiles` and `sqliteOnly`),
 * `.cjs` because this package's `.js` files are ES modules. `main.mjs` is runtimes/node/launch.ts:
 * it runs `app-sqlite.cjs` or `app-postgres.cjs` through `vm.Script` with V8's code cache, which
 * Node 20 has for no ES module. The cache is written by one run of the SQLite app, after a
 * health check and a webhook (`trainCodeCache`); the launcher names it by the source's hash, set
 * here. The lazy files are loaded with `require` when first used (no ES module loader at all).
 */
const buildNode = async (): Promise<void> => {
  const folder = join(root, "build", "node")
  const main = join(root, "runtimes", "node", "main.ts")
  const apps = [
    { out: "app-sqlite", plugins: [effectSubpaths, lazyFilesPlugin(".cjs"), sqliteOnly, betterSqliteAddon] },
    { out: "app-postgres", plugins: [effectSubpaths, lazyFilesPlugin(".cjs"), betterSqliteAddon] }
  ] as const
  const siblings = lazyFiles.map((file) => `./${file.out}.cjs`)
  const node: BuildOptions = {
    ...common,
    format: "cjs",
    target: "node20",
    // Stack traces stay readable with `node --enable-source-maps`.
    sourcemap: "linked",
    // `import("./mcp-server.cjs")` as a require: the app runs outside Node's module loaders.
    supported: { "dynamic-import": false },
    absWorkingDir: root
  }
  const hashes: Record<string, string> = {}
  for (const app of apps) {
    // better-sqlite3 bundled, but for its native addon (`betterSqliteAddon`).
    const built = await build({ ...node, external: siblings, plugins: [...app.plugins], entryPoints: [main], outfile: join(folder, `${app.out}.cjs`), write: false })
    for (const output of built.outputFiles) writeOutput(output.path, output.contents)
    const code = built.outputFiles.find((output) => output.path.endsWith(".cjs"))
    if (code === undefined) throw new Error(`${app.out}.cjs was not built`)
    hashes[app.out] = createHash("sha256").update(code.contents).digest("hex").slice(0, 16)
  }
  for (const file of lazyFiles) {
    const built = await build({ ...node, plugins: [effectSubpaths], entryPoints: [join(root, file.source)], outfile: join(folder, `${file.out}.cjs`), metafile: true })
    assertStandalone(join(root, file.source), Object.keys(built.metafile.inputs))
  }
  await build({
    ...common,
    entryPoints: [join(root, "runtimes", "node", "launch.ts")],
    outfile: entryBuildFile("node"),
    format: "esm",
    target: "node20",
    define: { SWITCHBOARD_APP_HASHES: JSON.stringify(hashes) }
  })
  await trainCodeCache(entryBuildFile("node"))
}

/**
 * For the Node apps: better-sqlite3's JavaScript is bundled (and so in the code cache) instead of
 * loaded from node_modules file by file at each start (~5 ms), and its native addon is required
 * from its package's build folder by path, instead of through \`bindings\`, which looks for it in a
 * dozen folders first (~1.5 ms). Where it is not there (another build layout), \`bindings\` looks.
 * Both requires happen at run time, from the app's folder.
 */
const betterSqliteAddon: Plugin = {
  name: "better-sqlite3-addon",
  setup: (plugin) => {
    plugin.onResolve({ filter: /^bindings$/ }, (args) =>
      args.importer.includes("/node_modules/better-sqlite3/") ? { path: "bindings", namespace: "better-sqlite3-addon" } : undefined)
    plugin.onLoad({ filter: /.*/, namespace: "better-sqlite3-addon" }, () => ({
      contents: [
        "const load = require",
        "module.exports = (name) => {",
        "  try { return load(\"better-sqlite3/build/Release/\" + name) } catch (error) {",
        "    if (error === null || typeof error !== \"object\" || error.code !== \"MODULE_NOT_FOUND\") throw error",
        "    return load(\"bindings\")(name)",
        "  }",
        "}"
      ].join("\n"),
      loader: "js"
    }))
  }
}

const writeOutput = (path: string, contents: Uint8Array): void => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, contents)
}

/** A barrel's value exports: name → the module holding it, and its name there (absent: the whole module as a namespace). */
type BarrelExports = ReadonlyMap<string, { readonly module: string; readonly name?: string }>

/** Read from the barrel itself (`export * as Name from "./Name.js"`, `export { a, b } from "./Function.js"`). */
const barrelExports = (specifier: string): BarrelExports => {
  const folder = specifier === "effect" ? "" : `${specifier.slice("effect/".length)}/`
  const text = readFileSync(join(root, "node_modules", "effect", "dist", folder, "index.js"), "utf8")
  const exports = new Map<string, { readonly module: string; readonly name?: string }>()
  for (const [, name, file] of text.matchAll(/export \* as (\w+) from "\.\/([\w/]+)\.js"/g)) {
    if (name !== undefined) exports.set(name, { module: `effect/${folder}${file}` })
  }
  for (const [, names, file] of text.matchAll(/export \{([^}]*)\} from "\.\/([\w/]+)\.js"/g)) {
    for (const name of (names ?? "").split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0)) {
      exports.set(name, { module: `effect/${folder}${file}`, name })
    }
  }
  return exports
}

/**
 * Rewrites `import { Effect, Layer as L, pipe, type Scope } from "effect"` (and from `effect/http`,
 * `effect/sql`, `effect/observability`) in our own sources into one import per module:
 * `import * as Effect from "effect/Effect"`, `import { pipe as pipe } from "effect/Function"` ...
 * The same modules, the same namespace objects; only the barrel is left out. A name the barrel
 * does not export fails the build rather than being guessed.
 */
const effectSubpaths: Plugin = {
  name: "effect-subpaths",
  setup: (plugin) => {
    const barrels = new Map<string, BarrelExports>()
    plugin.onLoad({ filter: /\.ts$/, namespace: "file" }, (args) => {
      if (args.path.includes("/node_modules/")) return undefined
      const source = readFileSync(args.path, "utf8")
      const contents = source.replace(
        /import\s*\{([^}]*)\}\s*from\s*"(effect(?:\/(?:http|sql|observability))?)"/g,
        (_whole, list: string, specifier: string) => {
          let exports = barrels.get(specifier)
          if (exports === undefined) barrels.set(specifier, exports = barrelExports(specifier))
          const imports: Array<string> = []
          const types: Array<string> = []
          for (const entry of list.split(",").map((part) => part.trim()).filter((part) => part.length > 0)) {
            if (entry.startsWith("type ")) {
              types.push(entry)
              continue
            }
            const [name = entry, alias = name] = entry.split(/\s+as\s+/)
            const target = exports.get(name)
            if (target === undefined) throw new Error(`${args.path}: "${specifier}" exports no ${name}`)
            imports.push(target.name === undefined
              ? `import * as ${alias} from "${target.module}"`
              : `import { ${target.name} as ${alias} } from "${target.module}"`)
          }
          // Type-only names stay on the barrel: TypeScript erases them, nothing loads.
          if (types.length > 0) imports.push(`import { ${types.join(", ")} } from "${specifier}"`)
          return imports.join("; ")
        }
      )
      return { contents, loader: "ts" }
    })
  }
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
