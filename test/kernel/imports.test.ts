/**
 * Runtime neutrality: the kernel and the providers run on Workers, Bun, Deno and Node, so no
 * file under kernel/ or providers/ may import a runtime's modules, and the kernel never
 * imports a provider or an adapter (arrows point inward only).
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..", "..")

const sourceFiles = (folder: string): Array<string> =>
  readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [path] : []
  })

const importsOf = (text: string): Array<string> =>
  [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g)]
    .map((match) => match[1] ?? match[2] ?? match[3] ?? "")

const violations = (folder: string, forbidden: (specifier: string) => boolean) =>
  sourceFiles(join(root, folder)).flatMap((file) =>
    importsOf(readFileSync(file, "utf8")).filter(forbidden).map((specifier) => `${relative(root, file)} imports ${specifier}`)
  )

const runtimeModule = (specifier: string) => /^(node|bun|cloudflare):/.test(specifier)

describe("runtime neutrality", () => {
  it("kernel/ imports no runtime module", () => {
    expect(violations("kernel", runtimeModule)).toEqual([])
  })

  it("providers/ imports no runtime module", () => {
    expect(violations("providers", runtimeModule)).toEqual([])
  })

  it("kernel/ imports no provider, adapter or runtime entrypoint", () => {
    expect(violations("kernel", (specifier) => /(^|\/)(providers|adapters|runtimes)\//.test(specifier))).toEqual([])
  })

  it("the scan sees imports in all their forms", () => {
    expect(importsOf(`import { a } from "node:fs"\nexport * from "bun:sqlite"\nconst x = await import("cloudflare:workers")`))
      .toEqual(["node:fs", "bun:sqlite", "cloudflare:workers"])
  })
})
