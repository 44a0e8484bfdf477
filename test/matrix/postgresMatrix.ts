/**
 * The runtime matrix with Postgres instead of the embedded SQLite file: the same black-box suite
 * against a runtime's entry started with a `postgres://` SWITCHBOARD_DATABASE_URL, on a private
 * Postgres server for the file that calls it (one per runtime: `<runtime>-postgres.test.ts`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startPostgres, type PostgresServer } from "../support/postgres.ts"
import { type RuntimeName, useMatrix } from "./harness.ts"
import { matrixKit } from "./kit.ts"
import { matrixCases } from "./suite.ts"

export const postgresMatrix = (runtime: RuntimeName) =>
  describe(`runtime matrix: ${runtime} + postgres`, { timeout: 30_000 }, () => {
    let server: PostgresServer | undefined
    let url: string | undefined
    // Registered before useMatrix's hooks: the server is up before the runtime starts, and stops after it.
    beforeAll(async () => {
      server = await startPostgres()
      url = server.createDatabase("matrix")
    }, 60_000)
    afterAll(() => server?.stop())

    const context = useMatrix(runtime, {
      env: () => {
        if (url === undefined) throw new Error("Postgres did not start")
        return { SWITCHBOARD_DATABASE_URL: url }
      }
    })
    matrixCases(context)
    matrixKit(context)

    // Last: what the suite did is in Postgres, so the runtime did not fall back to a SQLite file.
    it("stored what the suite did in Postgres", () => {
      expect(Number(server?.psql("matrix", "SELECT count(*) FROM tenants"))).toBeGreaterThan(0)
      expect(Number(server?.psql("matrix", "SELECT count(*) FROM webhook_events"))).toBeGreaterThan(0)
    })
  })
