/**
 * Runtime neutrality and clean layers: the kernel and the providers run on Workers, Bun, Deno
 * and Node, so no file under kernel/ or providers/ may import a runtime's modules; and arrows
 * point inward only: the kernel imports no provider, adapter, runtime, Console, CLI or sandbox,
 * and a provider imports no sandbox, adapter, runtime, Console or CLI.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative, resolve, sep } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..", "..")

const sourceFiles = (folder: string): Array<string> =>
  readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [path] : []
  })

const importsOf = (text: string): Array<string> =>
  [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm
    )
  ].map((match) => match[1] ?? match[2] ?? match[3] ?? match[4] ?? "")

const violations = (folder: string, forbidden: (specifier: string) => boolean) =>
  sourceFiles(join(root, folder)).flatMap((file) =>
    importsOf(readFileSync(file, "utf8")).filter(forbidden).map((specifier) => `${relative(root, file)} imports ${specifier}`)
  )

const runtimeModule = (specifier: string) => /^(node|bun|cloudflare):/.test(specifier)

/**
 * The top-level folder a relative import lands in, resolved against the importing file (so
 * `../console/x.ts` from kernel/ and `../../../console/x.ts` from kernel/http/ both count, and
 * `kernel/provider/` is not mistaken for `providers/`). Package imports land in no folder.
 */
const folderOf = (base: string, file: string, specifier: string): string | undefined => {
  if (!specifier.startsWith(".")) return undefined
  const target = relative(base, resolve(dirname(file), specifier))
  return target.startsWith("..") ? undefined : target.split(sep)[0]
}

/** The imports of `folder` (under `base`, the repository by default) that land in a `forbidden` folder. */
const layerViolations = (folder: string, forbidden: ReadonlyArray<string>, base = root) =>
  sourceFiles(join(base, folder)).flatMap((file) =>
    importsOf(readFileSync(file, "utf8"))
      .filter((specifier) => forbidden.includes(folderOf(base, file, specifier) ?? ""))
      .map((specifier) => `${relative(base, file)} imports ${specifier}`)
  )

describe("runtime neutrality and clean layers", () => {
  it("kernel/ imports no runtime module", () => {
    expect(violations("kernel", runtimeModule)).toEqual([])
  })

  it("providers/ imports no runtime module", () => {
    expect(violations("providers", runtimeModule)).toEqual([])
  })

  it("kernel/ imports no provider, adapter or runtime entrypoint", () => {
    expect(violations("kernel", (specifier) => /(^|\/)(providers|adapters|runtimes)\//.test(specifier))).toEqual([])
  })

  it("kernel/ imports no Console, CLI, runtime or sandbox", () => {
    expect(layerViolations("kernel", ["console", "bin", "runtimes", "sandbox", "providers", "adapters"])).toEqual([])
  })

  it("providers/ import no sandbox, adapter, runtime, Console or CLI", () => {
    expect(layerViolations("providers", ["sandbox", "adapters", "runtimes", "console", "bin"])).toEqual([])
  })

  it("the layer check resolves relative imports to the folder they land in", () => {
    const file = join(root, "kernel", "http", "Example.ts")
    expect(["../../console/ConsoleRoutes.ts", "../../bin/cli/Simulate.ts", "../../runtimes/shared/app.ts", "../../sandbox/kit/ProviderKit.ts"]
      .map((specifier) => folderOf(root, file, specifier))).toEqual(["console", "bin", "runtimes", "sandbox"])
    expect(["./Respond.ts", "../provider/Provider.ts", "effect", "node:fs"].map((specifier) => folderOf(root, file, specifier)))
      .toEqual(["kernel", "kernel", undefined, undefined])
  })

  it("the layer check catches a kernel that imports the Console, the CLI, a runtime or the sandbox", () => {
    // A scratch tree, not the repository: the first import is the loop kernel/Kernel.ts once had.
    const base = mkdtempSync(join(tmpdir(), "switchboard-imports-"))
    try {
      mkdirSync(join(base, "kernel", "http"), { recursive: true })
      writeFileSync(join(base, "kernel", "Kernel.ts"), [
        `import { ConsoleRoutes } from "../console/ConsoleRoutes.ts"`,
        `import { run } from "../bin/cli/Simulate.ts"`,
        `export { makeApp } from "./http/App.ts"`
      ].join("\n"))
      writeFileSync(join(base, "kernel", "http", "App.ts"), [
        `import { databaseFile } from "../../runtimes/shared/server.ts"`,
        `const kit = await import("../../sandbox/kit/ProviderKit.ts")`,
        `import { route } from "./Route.ts"`
      ].join("\n"))
      expect(layerViolations("kernel", ["console", "bin", "runtimes", "sandbox"], base).sort()).toEqual([
        "kernel/Kernel.ts imports ../bin/cli/Simulate.ts",
        "kernel/Kernel.ts imports ../console/ConsoleRoutes.ts",
        "kernel/http/App.ts imports ../../runtimes/shared/server.ts",
        "kernel/http/App.ts imports ../../sandbox/kit/ProviderKit.ts"
      ])
    } finally {
      rmSync(base, { recursive: true, force: true })
    }
  })

  it("the scan sees imports in all their forms", () => {
    expect(importsOf(`import { a } from "node:fs"\nexport * from "bun:sqlite"\nconst x = await import("cloudflare:workers")`))
      .toEqual(["node:fs", "bun:sqlite", "cloudflare:workers"])
    expect(importsOf(`import "../console/ConsoleRoutes.ts"\nimport type { A } from "./A.ts"`)).toEqual(["../console/ConsoleRoutes.ts", "./A.ts"])
  })
})
