/**
 * The runtimes apply the migrations embedded in adapters/sql/migrations/index.ts; wrangler applies
 * the .sql files. This fails when they differ: regenerate with `npx tsx test/store/generate-migrations.ts`.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { migrations as postgresMigrations } from "../../adapters/postgres/migrations/index.ts"
import { migrations } from "../../adapters/sql/migrations/index.ts"
import {
  modulePath,
  postgresMigrationsDirectory,
  postgresMigrationType,
  postgresModulePath,
  readMigrationFiles,
  renderModule
} from "./generate-migrations.ts"

describe("embedded migrations", () => {
  it("index.ts holds exactly the .sql files, in order", () => {
    expect(migrations).toEqual(readMigrationFiles())
  })

  it("index.ts is what the generator writes", () => {
    expect(readFileSync(modulePath, "utf8")).toBe(renderModule(readMigrationFiles()))
  })

  it("ids are unique and ascending", () => {
    const ids = migrations.map((migration) => migration.id)
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b))
  })

  it("the Postgres index.ts holds exactly its .sql files, as the generator writes them", () => {
    expect(postgresMigrations).toEqual(readMigrationFiles(postgresMigrationsDirectory))
    expect(readFileSync(postgresModulePath, "utf8")).toBe(
      renderModule(readMigrationFiles(postgresMigrationsDirectory), postgresMigrationType)
    )
  })
})
