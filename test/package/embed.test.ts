/**
 * The embedding example runs, and the README shows exactly it: the kernel's routes and the host's
 * share one router, served until SIGTERM, after which the process exits 0.
 */
import { randomBytes } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { startApp } from "./app.ts"
import { asPackageUser, repoRoot } from "./entries.ts"

const example = readFileSync(join(repoRoot, "examples/embed.ts"), "utf8")

describe("the embedding example", () => {
  it("is the README's embedding section, with the package's import paths", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8")
    const block = /<!-- embed: examples\/embed\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(block).toBe(asPackageUser(example))
  })

  it("serves the kernel's routes and the host's own, and stops cleanly", { timeout: 30_000 }, async () => {
    const key = () => randomBytes(32).toString("base64")
    const app = await startApp({
      command: join(repoRoot, "node_modules/.bin/tsx"),
      args: ["examples/embed.ts"],
      cwd: repoRoot,
      env: { PATH: process.env["PATH"] ?? "", MCP_SIGNING_KEY: key(), SWITCHBOARD_VAULT_KEYS: `k1:${key()}` }
    })
    try {
      const health = await fetch(`${app.baseUrl}/health`)
      expect(await health.json()).toEqual({ ok: true })
      const integrations = await fetch(`${app.baseUrl}/v1/integrations`)
      expect((await integrations.json()).integrations.map((entry: { id: string }) => entry.id)).toContain("linear")
      const hello = await fetch(`${app.baseUrl}/hello`)
      expect(await hello.text()).toBe("hello from the host app")
    } finally {
      expect(await app.stop(), app.output()).toBe(0)
    }
  })
})
