/** A kernel whose configuration is broken answers 503 without internals, instead of throwing. */
import { ConfigProvider, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { describe, expect, it, vi } from "vitest"
import * as LogSink from "../../adapters/sink/LogSink.ts"
import * as Migrate from "../../adapters/sql/Migrate.ts"
import * as StoresSql from "../../adapters/sql/StoresSql.ts"
import * as BetterSqlite3 from "../../adapters/sqlite/drivers/better-sqlite3.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { makeApp } from "../../kernel/Kernel.ts"
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import { Registry } from "../../kernel/registry/Registry.ts"
import { providers } from "../../providers/index.ts"

describe("startup", () => {
  it("answers 503 when the vault key is missing", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {})
    const sql = Migrate.layer.pipe(Layer.provideMerge(SqliteClient.layer(BetterSqlite3.driver, { filename: ":memory:" })))
    const app = makeApp(
      Layer.mergeAll(
        KernelConfig.layerConfig,
        Registry.layer(providers),
        LogSink.layer,
        StoresSql.layer.pipe(Layer.provide(sql)),
        FetchHttpClient.layer
      ).pipe(Layer.provideMerge(ConfigProvider.layer(ConfigProvider.fromEnvRecord({ MCP_SIGNING_KEY: "x".repeat(32) })))),
      { poller: false }
    )
    const response = await app.fetch(new Request("http://sb/v1/integrations"))
    expect(response.status).toBe(503)
    const text = await response.text()
    expect(text).not.toMatch(/at .*\.ts|Error:/)
    expect(errors).toHaveBeenCalled()
    errors.mockRestore()
    await app.dispose().catch(() => {})
  })
})
