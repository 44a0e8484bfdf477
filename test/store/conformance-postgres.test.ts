/**
 * The store conformance suite on Postgres: a private server for this file (test/support/
 * postgres.ts), the SQL stores with the Postgres outbox (`StoresPg`), migrated by `PgMigrate`.
 */
import { afterAll, beforeAll, describe, it } from "vitest"
import * as PgClient from "../../adapters/postgres/PgClient.ts"
import * as PgMigrate from "../../adapters/postgres/PgMigrate.ts"
import * as StoresPg from "../../adapters/postgres/StoresPg.ts"
import { startPostgres, type PostgresServer } from "../support/postgres.ts"
import { type CaseResult, caseNames, conformanceCases, runConformance } from "./conformance.ts"

let server: PostgresServer | undefined
let results: Promise<ReadonlyMap<string, CaseResult>> | undefined

beforeAll(async () => {
  server = await startPostgres()
  const url = server.createDatabase("conformance")
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
