/**
 * The built Node entry (`build/node/main.mjs`, scripts/build-entry.ts): picks the build of
 * `main.ts` for the database the settings name, as Bun's launcher does (`app-sqlite.cjs` without
 * the Postgres modules, `app-postgres.cjs` whole), and runs it from V8's code cache.
 *
 * Node 20 compiles every ES module from source at each start (its compile cache for modules came
 * in Node 22), which was about a third of a start's CPU. A CommonJS bundle compiled through
 * `vm.Script` can take V8's cached data instead: the bytecode of the bundle and of each function
 * that had run when the cache was written, so neither the top level nor the functions a start and
 * its first request run are parsed again. The build writes the cache after one run of the app
 * (scripts/nodeCodeCache.ts); a process that finds it missing, or that V8 refuses (another Node,
 * other V8 flags), compiles from source as before and writes a fresh one when it exits.
 * V8 checks only the source's length against the cache, so the cache's name holds a hash of the
 * source, fixed at build time: a cache never meets a source it was not made from.
 *
 * Not for running from source: run `main.ts` there.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { Script } from "node:vm"
import { postgresUrl } from "../shared/databaseSettings.ts"

/** Each app's source hash, set by the build (`define`). */
declare const SWITCHBOARD_APP_HASHES: { readonly "app-sqlite": string; readonly "app-postgres": string }

const folder = import.meta.dirname
const app = postgresUrl(process.env) === undefined ? "app-sqlite" : "app-postgres"
const file = join(folder, `${app}.cjs`)
const cacheFile = join(folder, `${app}.${SWITCHBOARD_APP_HASHES[app]}.v8cache`)

const readCache = (): Buffer | undefined => {
  try {
    return readFileSync(cacheFile)
  } catch {
    return undefined
  }
}

/** The app compiled from V8's code cache (or from source when there is none, leaving one at exit), then run. */
const runCached = (): void => {
  const cachedData = readCache()
  // Node's own CommonJS wrapper, its first line above the file's, so stack traces keep the file's lines.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {\n${readFileSync(file, "utf8")}\n})`, {
    filename: file,
    lineOffset: -1,
    ...(cachedData === undefined ? {} : { cachedData })
  })
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // At exit the cache also holds every function compiled by then; only after a clean stop, so a
    // process that failed (a bad setting exits 1 at once) leaves no cache of its few functions that
    // later starts would take. Written aside and renamed, so a process starting meanwhile reads a
    // whole cache or none; a read-only folder just goes without.
    process.once("exit", (code) => {
      if (code !== 0) return
      const partial = `${cacheFile}.${process.pid}`
      try {
        writeFileSync(partial, script.createCachedData())
        renameSync(partial, cacheFile)
      } catch {
        // No cache: the next start compiles from source, as this one did.
      }
    })
  }
  const run: unknown = script.runInThisContext()
  if (typeof run !== "function") throw new Error(`${file} did not compile to its wrapper`)
  const module = { exports: {} }
  run.call(module.exports, module.exports, createRequire(file), module, file, folder)
}

// `node --enable-source-maps` maps stack traces only for what Node's own loaders load: then the
// app is required as any CommonJS file, without the cache.
if (process.sourceMapsEnabled) createRequire(file)(file)
else runCached()
