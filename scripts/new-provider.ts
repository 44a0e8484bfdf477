/**
 * Scaffolds a provider: `npx tsx scripts/new-provider.ts <id> "<Display Name>"`.
 *
 * Writes, from the repository root:
 *
 * - `providers/<id>/`: `<Name>Provider` (the list of its parts) and `<Name>Settings`, then one
 *   folder per question of the contract: `install/` (credential paste), `webhook/` (the
 *   `defineWebhook` declaration with its event table and decisions), `tools/` (one example
 *   tool), `publication/` (scopes, granularities, session keys); and `client/` for the vendor's API;
 * - `sandbox/fakes/<id>/`: a minimal fake of the vendor's API and a webhook signer;
 * - `test/providers/<id>/kit.test.ts`: the provider kit, wired to the fake;
 * - the registry line in `providers/index.ts` (the import and the list entry).
 *
 * It refuses an id that is not lowercase letters and digits, or one that is taken, and writes
 * nothing then. The generated provider typechecks and passes its kit test as it is; from there,
 * make it your vendor's (docs/writing-a-provider.md walks through it with Jira).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import * as Fake from "./new-provider/FakeTemplates.ts"
import { ID, type Names, namesOf } from "./new-provider/Names.ts"
import * as Provider from "./new-provider/ProviderTemplates.ts"
import * as Tools from "./new-provider/ToolTemplates.ts"
import * as Webhook from "./new-provider/WebhookTemplates.ts"

const REGISTRY = "providers/index.ts"

const filesOf = (n: Names): ReadonlyArray<readonly [string, string]> => [
  [`providers/${n.id}/${n.pascal}Provider.ts`, Provider.provider(n)],
  [`providers/${n.id}/${n.pascal}Settings.ts`, Provider.settings(n)],
  [`providers/${n.id}/client/${n.pascal}Client.ts`, Provider.client(n)],
  [`providers/${n.id}/install/CredentialPaste.ts`, Provider.credentials(n)],
  [`providers/${n.id}/webhook/${n.pascal}Webhook.ts`, Webhook.webhook(n)],
  [`providers/${n.id}/tools/${n.pascal}Tools.ts`, Tools.tools(n)],
  [`providers/${n.id}/tools/GetItem.ts`, Tools.getItem(n)],
  [`providers/${n.id}/publication/${n.pascal}Publication.ts`, Provider.publication(n)],
  [`sandbox/fakes/${n.id}/Fake${n.pascal}.ts`, Fake.fake(n)],
  [`sandbox/fakes/${n.id}/sign.ts`, Fake.sign(n)],
  [`test/providers/${n.id}/kit.test.ts`, Fake.kitTest(n)]
]

/** `providers/index.ts` with the provider's import after the last one and its factory last in the list. */
export const register = (registry: string, n: Names): string => {
  const importLine = `import * as ${n.pascal}Provider from "./${n.id}/${n.pascal}Provider.ts"`
  const imports = [...registry.matchAll(/^import .*$/gm)]
  const last = imports.at(-1)
  const list = /(export const providers[^=]*=\s*\[)([^\]]*)(\])/s.exec(registry)
  if (last === undefined || list === null) throw new Error(`${REGISTRY} does not look like a provider list; add the provider by hand`)
  const entries = (list[2] ?? "").trimEnd()
  const multiline = entries.includes("\n")
  const separator = entries.trim().length === 0 ? "" : entries.endsWith(",") ? (multiline ? "\n  " : " ") : multiline ? ",\n  " : ", "
  const withEntry = registry.replace(list[0], `${list[1]}${entries}${separator}${n.pascal}Provider.make${multiline ? "\n" : ""}${list[3]}`)
  const at = (last.index ?? 0) + last[0].length
  return `${withEntry.slice(0, at)}\n${importLine}${withEntry.slice(at)}`
}

export const scaffold = (root: string, id: string, displayName: string): ReadonlyArray<string> => {
  if (!ID.test(id)) throw new Error(`"${id}" is not a provider id: lowercase letters and digits, starting with a letter, 2 to 31 long`)
  if (displayName.trim().length === 0) throw new Error("Give the provider a display name, such as \"Acme Tickets\"")
  const n = namesOf(id, displayName)
  const files = filesOf(n)
  const taken = files.map(([path]) => path).filter((path) => existsSync(join(root, path)))
  if (existsSync(join(root, "providers", id)) || taken.length > 0) throw new Error(`"${id}" is taken: providers/${id} or its tests exist`)
  const registry = readFileSync(join(root, REGISTRY), "utf8")
  if (registry.includes(`"./${id}/`)) throw new Error(`"${id}" is already in ${REGISTRY}`)
  const registered = register(registry, n)
  for (const [path, text] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  writeFileSync(join(root, REGISTRY), registered)
  return [...files.map(([path]) => path), REGISTRY]
}

const main = (argv: ReadonlyArray<string>): number => {
  const [id, displayName] = argv
  if (id === undefined || displayName === undefined) {
    console.error("usage: npx tsx scripts/new-provider.ts <id> \"<Display Name>\"   (for example: acme \"Acme Tickets\")")
    return 2
  }
  const root = join(import.meta.dirname, "..")
  try {
    const written = scaffold(root, id, displayName)
    console.log(`Created the ${displayName} provider:\n${written.map((path) => `  ${relative(root, join(root, path))}`).join("\n")}`)
    console.log(`\nNext: npx vitest run test/providers/${id}/kit.test.ts, then make it your vendor's (docs/writing-a-provider.md).`)
    return 0
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    return 1
  }
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) process.exitCode = main(process.argv.slice(2))
