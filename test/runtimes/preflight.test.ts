/** The preflight's findings, variable by variable: missing, invalid, and nothing when all is usable. */
import { ConfigProvider, Context, Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { base64Encode } from "../../kernel/encoding/Encoding.ts"
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import { runtimeDependencies } from "../../runtimes/shared/dependencies.ts"
import { check, message, problems } from "../../runtimes/shared/preflight.ts"

const usable = {
  SWITCHBOARD_PUBLIC_URL: "https://switchboard.example",
  MCP_SIGNING_KEY: "s".repeat(48),
  SWITCHBOARD_VAULT_KEYS: `k1:${base64Encode(new Uint8Array(32).fill(3))}`
}

describe("preflight", () => {
  it("finds nothing in usable settings, bindings and all", () => {
    expect(problems({ ...usable, DB: { prepare: () => undefined } })).toEqual([])
  })

  it("lists every required variable that is missing or blank", () => {
    expect(problems({ MCP_SIGNING_KEY: "  " })).toEqual([
      expect.stringMatching(/^SWITCHBOARD_PUBLIC_URL is missing: /),
      "MCP_SIGNING_KEY is missing: 32+ random bytes; `npx switchboard keys generate` prints one",
      expect.stringMatching(/^SWITCHBOARD_VAULT_KEYS is missing: .*keys generate/)
    ])
  })

  it("names each invalid value with its variable, all at once", () => {
    const found = problems({
      ...usable,
      SWITCHBOARD_PUBLIC_URL: "localhost:8787",
      SWITCHBOARD_ADMIN_TOKEN: "short",
      SWITCHBOARD_MAX_BODY_BYTES: "lots",
      SWITCHBOARD_SESSIONS_TIMEOUT: "soon",
      PORT: "99999"
    })
    expect(found).toHaveLength(5)
    expect(found[0]).toMatch(/^SWITCHBOARD_PUBLIC_URL is invalid \("localhost:8787" is not an http\(s\) URL\)/)
    expect(found[1]).toMatch(/^SWITCHBOARD_ADMIN_TOKEN is too weak: it has 5 characters/)
    expect(found[2]).toMatch(/^SWITCHBOARD_MAX_BODY_BYTES is invalid \(.+\): a whole number of bytes/)
    expect(found[3]).toMatch(/^SWITCHBOARD_SESSIONS_TIMEOUT is invalid \(.+\): a duration/)
    expect(found[4]).toMatch(/^PORT is invalid \("99999"\)/)
  })

  it("takes deliveries at once from 1 to 1024, and says so for anything else", async () => {
    const read = (value: string) =>
      Effect.runPromise(Effect.provideService(
        KernelConfig.make,
        ConfigProvider.ConfigProvider,
        ConfigProvider.fromEnvRecord({ ...usable, SWITCHBOARD_DISPATCH_CONCURRENCY: value })
      ))
    expect((await read("1")).dispatchConcurrency).toBe(1)
    expect((await read("1024")).dispatchConcurrency).toBe(1024)
    expect(problems(usable)).toEqual([])
    for (const value of ["0", "1025", "-3", "many", "2.5"]) {
      expect(problems({ ...usable, SWITCHBOARD_DISPATCH_CONCURRENCY: value }), value).toEqual([
        expect.stringMatching(/^SWITCHBOARD_DISPATCH_CONCURRENCY (must be|is invalid .*:) a whole number from 1 to 1024/)
      ])
    }
  })

  it("says it as one message, a line per variable", () => {
    expect(message("node", ["A is missing: x", "B is missing: y"])).toBe(
      "switchboard (node) cannot start: 2 settings need attention\n  - A is missing: x\n  - B is missing: y\n" +
        "Set them in the environment (see Configuration in the README) and start again."
    )
  })

  it("hands back the kernel's settings when all are usable, as the kernel reads them", async () => {
    const env = { ...usable, SWITCHBOARD_RETURN_URLS: "https://app.example", SWITCHBOARD_ACCESS_LOG: "errors" }
    const read = await Effect.runPromise(
      Effect.provideService(KernelConfig.make, ConfigProvider.ConfigProvider, ConfigProvider.fromEnvRecord(env))
    )
    expect(check(env)).toEqual({ config: read })
  })

  it("hands back the same lines as problems when a setting is not usable", () => {
    const env = { ...usable, SWITCHBOARD_MAX_BODY_BYTES: "lots", PORT: "99999" }
    expect(check(env)).toEqual({ problems: problems(env) })
    expect(check({ ...usable, SWITCHBOARD_PUBLIC_URL: "ftp://switchboard.example" })).toEqual({
      problems: [expect.stringMatching(/^SWITCHBOARD_PUBLIC_URL is invalid/)]
    })
  })

  it("the runtime provides the settings it was handed instead of reading them again", async () => {
    const checked = check(usable)
    if (!("config" in checked)) throw new Error("usable settings were refused")
    const handed = { ...checked.config, publicUrl: "https://handed.example" }
    // The env says otherwise: only the settings handed over may be seen.
    const sql = SqliteClient.layer(BetterSqlite3.driver, { filename: ":memory:" })
    const dependencies = runtimeDependencies({ env: usable, sql, migrate: true, config: handed })
    const seen = await Effect.runPromise(
      Effect.scoped(Layer.build(dependencies.pipe(Layer.orDie)).pipe(Effect.map((context) => Context.get(context, KernelConfig))))
    )
    expect(seen.publicUrl).toBe("https://handed.example")
  })
})
