/**
 * The package's entry points as package.json `exports` names them, and the source file each one
 * is built from, so a test can turn the example's relative imports into the package's paths.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"

export const repoRoot = join(import.meta.dirname, "..", "..")

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === "object" && value !== null

/** Source file (repo-relative, `.ts`) → the shortest package specifier that exports it. */
export const entrySources = (): ReadonlyMap<string, string> => {
  const manifest: unknown = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"))
  const exports = isRecord(manifest) && isRecord(manifest["exports"]) ? manifest["exports"] : {}
  const sources = new Map<string, string>()
  for (const [key, target] of Object.entries(exports)) {
    if (!isRecord(target) || typeof target["default"] !== "string") continue
    const source = target["default"].replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts")
    const specifier = key === "." ? "switchboard" : `switchboard/${key.slice(2)}`
    const known = sources.get(source)
    if (known === undefined || specifier.length < known.length) sources.set(source, specifier)
  }
  return sources
}

/**
 * A file of `examples/` as an app outside the repo writes it: the leading doc comment dropped and
 * `../<entry>.ts` imports replaced by the package's specifiers. An import of a file that is not an
 * entry point throws: the example must use only what the package exports.
 */
export const asPackageUser = (exampleSource: string): string => {
  const sources = entrySources()
  return exampleSource
    .replace(/^\/\*\*[\s\S]*?\*\/\n/, "")
    .replace(/from "\.\.\/([^"]+)"/g, (_match, path: string) => {
      const specifier = sources.get(path)
      if (specifier === undefined) throw new Error(`examples import ${path}, which is not a package entry point`)
      return `from "${specifier}"`
    })
}
