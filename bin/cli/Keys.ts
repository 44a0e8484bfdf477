/**
 * `switchboard keys generate`: fresh secrets for a deployment, printed as env lines (or JSON):
 * MCP_SIGNING_KEY (32 random bytes), SWITCHBOARD_VAULT_KEYS (a new AES-256 key with a dated id;
 * `--rotate` keeps the current keys after it, so old tokens still open) and
 * SWITCHBOARD_ADMIN_TOKEN. Secrets go to stdout only, so `>> .dev.vars` or a pipe into a secret
 * manager works; nothing is written anywhere else.
 */
import { base64Decode, randomBase64, randomToken } from "../../kernel/encoding/Encoding.ts"
import { type Command, parse, text } from "./Command.ts"
import { CliFailure, done } from "./Io.ts"

const help = `Usage: switchboard keys generate [options]

Prints fresh secrets for a Switchboard deployment.

Options:
  --format env|json   env lines (default) or one JSON object
  --rotate <keys>     the current SWITCHBOARD_VAULT_KEYS: the new key seals from now on, the
                      current ones stay (after it) so stored tokens still open

Examples:
  switchboard keys generate >> .dev.vars
  switchboard keys generate --rotate "$SWITCHBOARD_VAULT_KEYS"`

const options = { format: { type: "string" }, rotate: { type: "string" } } as const

const random = randomBase64

/** `id:base64` entries with 32-byte keys, as the kernel reads SWITCHBOARD_VAULT_KEYS. */
export const parseVaultKeys = (value: string): ReadonlyArray<{ readonly id: string; readonly key: string }> =>
  value.split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0).map((entry) => {
    const separator = entry.indexOf(":")
    const id = separator <= 0 ? "k1" : entry.slice(0, separator)
    const key = separator <= 0 ? entry : entry.slice(separator + 1)
    if (base64Decode(key)?.length !== 32) throw new CliFailure(`--rotate: the vault key "${id}" is not 32 bytes of base64`)
    return { id, key }
  })

const newKeyId = (taken: ReadonlyArray<string>, now: Date): string => {
  const base = `k${now.toISOString().slice(0, 10).replace(/-/g, "")}`
  let id = base
  for (let counter = 2; taken.includes(id); counter++) id = `${base}-${counter}`
  return id
}

export const generateKeys = (rotate: string | undefined, now = new Date()): Record<string, string> => {
  const current = rotate === undefined ? [] : parseVaultKeys(rotate)
  const id = newKeyId(current.map((entry) => entry.id), now)
  return {
    MCP_SIGNING_KEY: random(32),
    SWITCHBOARD_VAULT_KEYS: [`${id}:${random(32)}`, ...current.map((entry) => `${entry.id}:${entry.key}`)].join(","),
    SWITCHBOARD_ADMIN_TOKEN: `sba_${randomToken(24)}`
  }
}

export const keysGenerate: Command = {
  words: ["keys", "generate"],
  summary: "print fresh signing and vault keys and an admin token",
  help,
  run: async (args, io) => {
    const { values } = parse("keys generate", args, options)
    const format = text(values.format) ?? "env"
    if (format !== "env" && format !== "json") throw new CliFailure(`--format is env or json, not ${format}`)
    const keys = generateKeys(text(values.rotate))
    if (format === "json") io.out(JSON.stringify(keys, null, 2))
    else for (const [name, value] of Object.entries(keys)) io.out(`${name}=${value}`)
    const rotated = text(values.rotate) === undefined ? "" : "; the current vault keys follow the new one"
    done(io, `Generated MCP_SIGNING_KEY, SWITCHBOARD_VAULT_KEYS${rotated} and SWITCHBOARD_ADMIN_TOKEN. Keep them secret.`)
    io.err("  Workers: npx wrangler secret put <NAME> for each; elsewhere, your secret manager or env.")
  }
}
