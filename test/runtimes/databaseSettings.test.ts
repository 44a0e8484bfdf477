/** The database settings: Postgres chosen by a postgres:// URL only, and preflight naming a bad one. */
import { describe, expect, it } from "vitest"
import { base64Encode } from "../../kernel/encoding/Encoding.ts"
import { postgresUrl, poolSize } from "../../runtimes/shared/databaseSettings.ts"
import { problems } from "../../runtimes/shared/preflight.ts"

const usable = {
  SWITCHBOARD_PUBLIC_URL: "https://switchboard.example",
  MCP_SIGNING_KEY: "s".repeat(48),
  SWITCHBOARD_VAULT_KEYS: `k1:${base64Encode(new Uint8Array(32).fill(3))}`
}

describe("database settings", () => {
  it("Postgres only for a postgres:// or postgresql:// URL; SQLite otherwise", () => {
    expect(postgresUrl({ SWITCHBOARD_DATABASE_URL: "postgres://u:p@db:5432/sb" })).toBe("postgres://u:p@db:5432/sb")
    expect(postgresUrl({ SWITCHBOARD_DATABASE_URL: "postgresql://db/sb" })).toBe("postgresql://db/sb")
    expect(postgresUrl({})).toBeUndefined()
    expect(postgresUrl({ SWITCHBOARD_DATABASE_URL: "" })).toBeUndefined()
    expect(poolSize({})).toBe(10)
    expect(poolSize({ SWITCHBOARD_DATABASE_POOL: "4" })).toBe(4)
  })

  it("preflight accepts a Postgres URL and names a bad URL or pool size", () => {
    expect(problems({ ...usable, SWITCHBOARD_DATABASE_URL: "postgres://u:p@db:5432/sb", SWITCHBOARD_DATABASE_POOL: "20" })).toEqual([])
    expect(problems({ ...usable, SWITCHBOARD_DATABASE_URL: "mysql://db/sb", SWITCHBOARD_DATABASE_POOL: "0" })).toEqual([
      expect.stringMatching(/^SWITCHBOARD_DATABASE_URL is invalid \(not a postgres:\/\/ URL\)/),
      expect.stringMatching(/^SWITCHBOARD_DATABASE_POOL is invalid \("0"\)/)
    ])
  })
})
