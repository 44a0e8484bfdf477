/**
 * Settings for `npm run dev`: fresh secrets generated on first start and kept in
 * `<data folder>/dev.json`, so the SQLite data (sealed tokens, API keys) stays readable across
 * restarts; secrets a newer version needs (a provider added to the sandbox) are added to the
 * file on the next start. Real env vars win over the file. Development only: production sets
 * its own (see `switchboard keys generate`).
 *
 * | env | meaning |
 * |---|---|
 * | SWITCHBOARD_DEV_DATA | the data folder (default `.data`): dev.json, the SQLite file, the sandbox's state |
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { randomBase64, randomToken } from "../../kernel/encoding/Encoding.ts"
import { adminTokenWeakness } from "../../kernel/KernelConfig.ts"

const random = randomBase64

/** Where the dev command keeps its data. */
export const devDataDir = (env: Readonly<Record<string, string | undefined>>): string => env["SWITCHBOARD_DEV_DATA"] ?? ".data"

export const devSettingsFile = (dataDir: string): string => join(dataDir, "dev.json")

export interface DevSettings {
  readonly env: Record<string, string>
  /** The demo tenant's API key, once created. */
  readonly apiKey: string | undefined
  readonly save: (apiKey: string) => void
}

interface StoredSettings {
  readonly env?: Record<string, string>
  readonly apiKey?: string
}

const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === "object" && value !== null && Object.values(value).every((entry) => typeof entry === "string")

/** `dev.json` as written by `loadDevSettings`; anything else reads as empty. */
export const readDevSettings = (file: string): StoredSettings => {
  if (!existsSync(file)) return {}
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"))
  if (typeof parsed !== "object" || parsed === null) return {}
  const env = "env" in parsed && isStringRecord(parsed.env) ? parsed.env : undefined
  const apiKey = "apiKey" in parsed && typeof parsed.apiKey === "string" ? parsed.apiKey : undefined
  return { ...(env === undefined ? {} : { env }), ...(apiKey === undefined ? {} : { apiKey }) }
}

/** The kernel's own development secrets. */
export const generateKernelSecrets = (): Record<string, string> => ({
  MCP_SIGNING_KEY: random(32),
  SWITCHBOARD_VAULT_KEYS: `k1:${random(32)}`,
  SWITCHBOARD_ADMIN_TOKEN: `sba_${randomToken(24)}`
})

export interface LoadDevSettingsOptions {
  /** Values used unless the file or the process env says otherwise (URLs, file names). */
  readonly defaults: Record<string, string>
  /** Secrets to generate when the file does not have them yet. */
  readonly generate: () => Record<string, string>
  readonly processEnv?: Readonly<Record<string, string | undefined>> | undefined
}

export const loadDevSettings = (file: string, options: LoadDevSettingsOptions): DevSettings => {
  mkdirSync(join(file, ".."), { recursive: true })
  const stored = readDevSettings(file)
  const generated = options.generate()
  // An admin token from before the kernel required a strong one is replaced, or dev would not start.
  const usable = Object.fromEntries(
    Object.entries(stored.env ?? {}).filter(([name, value]) =>
      name !== "SWITCHBOARD_ADMIN_TOKEN" || adminTokenWeakness(value) === undefined
    )
  )
  const missing = Object.keys(generated).filter((name) => usable[name] === undefined)
  const fileEnv = { ...generated, ...usable }
  const write = (apiKey: string | undefined) =>
    writeFileSync(file, JSON.stringify({ env: fileEnv, ...(apiKey === undefined ? {} : { apiKey }) }, null, 2), { mode: 0o600 })
  if (missing.length > 0) write(stored.apiKey)
  const fromProcess = Object.fromEntries(
    Object.entries(options.processEnv ?? process.env).filter((entry): entry is [string, string] => typeof entry[1] === "string")
  )
  return {
    env: { ...options.defaults, ...fileEnv, ...fromProcess },
    apiKey: stored.apiKey,
    save: (apiKey) => write(apiKey)
  }
}
