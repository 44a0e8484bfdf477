/**
 * Settings for `npm run dev`: fresh secrets generated on first start and kept in
 * `.data/dev.json`, so the SQLite data (sealed tokens, API keys) stays readable across
 * restarts. Real env vars win over the file. Development only: production sets its own.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"

const random = (bytes: number) => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))))

export interface DevSettings {
  readonly env: Record<string, string>
  /** The demo tenant's API key, once created. */
  readonly apiKey: string | undefined
  readonly save: (apiKey: string) => void
}

export const loadDevSettings = (file: string, defaults: Record<string, string>): DevSettings => {
  mkdirSync(dirname(file), { recursive: true })
  const stored: { env?: Record<string, string>; apiKey?: string } = existsSync(file)
    ? JSON.parse(readFileSync(file, "utf8"))
    : {}
  const generated = {
    MCP_SIGNING_KEY: random(32),
    SWITCHBOARD_VAULT_KEYS: `k1:${random(32)}`,
    SWITCHBOARD_ADMIN_TOKEN: `sba_${random(18).replace(/[+/=]/g, "")}`,
    LINEAR_CLIENT_ID: "sandbox-linear-client",
    LINEAR_CLIENT_SECRET: random(24),
    LINEAR_WEBHOOK_SECRET: random(24)
  }
  const fileEnv = { ...generated, ...stored.env }
  const write = (apiKey: string | undefined) =>
    writeFileSync(file, JSON.stringify({ env: fileEnv, apiKey }, null, 2), { mode: 0o600 })
  if (stored.env === undefined) write(undefined)
  const fromProcess = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => typeof entry[1] === "string")
  )
  return {
    env: { ...defaults, ...fileEnv, ...fromProcess },
    apiKey: stored.apiKey,
    save: (apiKey) => write(apiKey)
  }
}
