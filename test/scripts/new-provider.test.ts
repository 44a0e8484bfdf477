/**
 * The scaffold as a new user meets it: in a copy of the repository, `npx tsx
 * scripts/new-provider.ts widgets "Widget Works"` writes the provider, its fake, its kit test and
 * the registry line; the deployment then lists it in `/v1/integrations`, it typechecks, and its
 * generated kit test passes. Ids that are invalid or taken are refused without writing anything.
 */
import { spawnSync } from "node:child_process"
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { namesOf } from "../../scripts/new-provider/Names.ts"
import { register } from "../../scripts/new-provider.ts"

const root = join(import.meta.dirname, "..", "..")
const SKIPPED = new Set(["node_modules", ".git", ".data", "dist", "test-artifacts", ".wrangler"])

const run = (copy: string, command: string, args: ReadonlyArray<string>) =>
  spawnSync(command, args, { cwd: copy, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" }, timeout: 110_000 })

describe("scripts/new-provider.ts", () => {
  let copy: string

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), "switchboard-scaffold-"))
    cpSync(root, copy, { recursive: true, filter: (source) => !SKIPPED.has(source.slice(root.length + 1).split("/")[0] ?? "") })
    symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir")
  })
  afterAll(() => rmSync(copy, { recursive: true, force: true }))

  it("refuses an invalid or taken id and writes nothing", () => {
    const before = readFileSync(join(copy, "providers/index.ts"), "utf8")
    for (const [id, message] of [["Bad-Id", "is not a provider id"], ["jira", "is taken"]] as const) {
      const refused = run(copy, "npx", ["tsx", "scripts/new-provider.ts", id, "Whatever"])
      expect(refused.status, refused.stdout).toBe(1)
      expect(refused.stderr).toContain(message)
    }
    expect(run(copy, "npx", ["tsx", "scripts/new-provider.ts", "onlyid"]).status).toBe(2)
    expect(readFileSync(join(copy, "providers/index.ts"), "utf8")).toBe(before)
  })

  it("creates the provider, its fake, its kit test and the registry line", () => {
    const created = run(copy, "npx", ["tsx", "scripts/new-provider.ts", "widgets", "Widget Works"])
    expect(created.status, created.stderr).toBe(0)
    for (const path of [
      "providers/widgets/WidgetWorksProvider.ts",
      "providers/widgets/WidgetWorksSettings.ts",
      "providers/widgets/webhook/WidgetWorksWebhook.ts",
      "providers/widgets/install/CredentialPaste.ts",
      "providers/widgets/tools/WidgetWorksTools.ts",
      "providers/widgets/client/WidgetWorksClient.ts",
      "providers/widgets/publication/WidgetWorksPublication.ts",
      "providers/widgets/tools/GetItem.ts",
      "sandbox/fakes/widgets/FakeWidgetWorks.ts",
      "sandbox/fakes/widgets/sign.ts",
      "test/providers/widgets/kit.test.ts"
    ]) expect(existsSync(join(copy, path)), path).toBe(true)
    const registry = readFileSync(join(copy, "providers/index.ts"), "utf8")
    expect(registry).toContain(`import * as WidgetWorksProvider from "./widgets/WidgetWorksProvider.ts"`)
    expect(registry).toMatch(/WidgetWorksProvider\.make\]/)
  })

  it("lists the new provider in /v1/integrations", () => {
    writeFileSync(join(copy, "list-integrations.ts"), [
      `import { startTestKernel } from "./test/support/kernel.ts"`,
      `const kernel = await startTestKernel()`,
      `const listed = await (await kernel.request("/v1/integrations")).json()`,
      `console.log(JSON.stringify(listed.integrations.map((entry: { id: string; tools: Array<{ name: string }> }) => [entry.id, entry.tools.map((tool) => tool.name)])))`,
      `await kernel.close()`
    ].join("\n"))
    const listed = run(copy, "npx", ["tsx", "list-integrations.ts"])
    expect(listed.status, listed.stderr).toBe(0)
    const line = listed.stdout.split("\n").find((text) => text.startsWith("[["))
    expect(JSON.parse(line ?? "[]")).toContainEqual(["widgets", ["mcp_widgets_get_item"]])
  })

  it("typechecks", () => {
    writeFileSync(join(copy, "tsconfig.scaffold.json"), JSON.stringify({
      extends: "./tsconfig.json",
      include: ["providers/index.ts", "providers/widgets", "sandbox/fakes/widgets", "test/providers/widgets"],
      exclude: ["node_modules"]
    }))
    const checked = run(copy, "npx", ["tsc", "--noEmit", "-p", "tsconfig.scaffold.json"])
    expect(checked.status, checked.stdout + checked.stderr).toBe(0)
  })

  it("passes its generated kit test", () => {
    const tested = run(copy, "npx", ["vitest", "run", "test/providers/widgets/kit.test.ts"])
    expect(tested.status, tested.stdout.slice(-3000)).toBe(0)
    expect(tested.stdout).toMatch(/Tests\s+8 passed/)
  })
})

describe("the registry line", () => {
  const names = namesOf("acme", "Acme Tickets")
  const head = `import type { ProviderFactory } from "../kernel/provider/Provider.ts"\nimport * as LinearProvider from "./linear/LinearProvider.ts"\n\n`

  it("joins a one-line list and adds the import after the last one", () => {
    expect(register(`${head}export const providers: ReadonlyArray<ProviderFactory> = [LinearProvider.make]\n`, names)).toBe(
      `${head.trimEnd()}\nimport * as AcmeTicketsProvider from "./acme/AcmeTicketsProvider.ts"\n\nexport const providers: ReadonlyArray<ProviderFactory> = [LinearProvider.make, AcmeTicketsProvider.make]\n`
    )
  })

  it("adds a line to a list written one entry per line", () => {
    const registered = register(`${head}export const providers: ReadonlyArray<ProviderFactory> = [\n  LinearProvider.make,\n]\n`, names)
    expect(registered).toContain("[\n  LinearProvider.make,\n  AcmeTicketsProvider.make\n]")
  })

  it("derives module names from the display name", () => {
    expect(namesOf("gh2", "GitHub enterprise-2")).toEqual({ id: "gh2", name: "GitHub enterprise-2", pascal: "GitHubEnterprise2", env: "GH2" })
  })
})

