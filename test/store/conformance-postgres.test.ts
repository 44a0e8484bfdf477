/**
 * The store conformance suite on Postgres: a private server for this file (test/support/
 * postgres.ts), the SQL stores with the Postgres outbox (`StoresPg`), migrated by `PgMigrate`.
 */
import { Effect, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as PgClient from "../../adapters/postgres/PgClient.ts"
import * as PgHealth from "../../adapters/postgres/PgHealth.ts"
import * as PgMigrate from "../../adapters/postgres/PgMigrate.ts"
import * as StoresPg from "../../adapters/postgres/StoresPg.ts"
import { DatabaseHealth } from "../../kernel/store/DatabaseHealth.ts"
import { freePort } from "../matrix/processes.ts"
import { startPostgres, type PostgresServer } from "../support/postgres.ts"
import { type CaseResult, caseNames, conformanceCases, runConformance } from "./conformance.ts"

let server: PostgresServer | undefined
let results: Promise<ReadonlyMap<string, CaseResult>> | undefined
let databaseUrl = ""

beforeAll(async () => {
  server = await startPostgres()
  const url = server.createDatabase("conformance")
  databaseUrl = url
  const cases = conformanceCases(PgClient.layer({ url, maxConnections: 8 }), "postgres", {
    migrate: PgMigrate.migrate,
    stores: StoresPg.layer
  })
  results = runConformance(cases).then((list) => new Map(list.map((result) => [result.name, result])))
  await results
}, 60_000)

afterAll(() => {
  server?.stop()
})

describe("Postgres", () => {
  for (const name of caseNames("postgres")) {
    it(name, async () => {
      const result = (await results)?.get(name)
      if (result === undefined) throw new Error("the case did not run")
      if (!result.ok) throw new Error(result.error ?? "failed")
    })
  }
})

const checkHealth = (url: string) =>
  Effect.runPromise(Effect.scoped(
    Effect.flatMap(DatabaseHealth, (health) => health.check).pipe(
      Effect.provide(PgHealth.layer.pipe(Layer.provide(PgClient.layer({ url, maxConnections: 1 }))))
    )
  ))

describe("Postgres health (GET /health)", () => {
  it("ok while the database answers", async () => {
    await results
    expect(await checkHealth(databaseUrl)).toBe("ok")
  })

  it("unavailable within a second when nothing listens", async () => {
    const started = Date.now()
    const state = await checkHealth(`postgres://postgres@127.0.0.1:${await freePort()}/nothing`).catch(() => "failed to build")
    expect(state).toBe("unavailable")
    expect(Date.now() - started).toBeLessThan(1_500)
  })
})
