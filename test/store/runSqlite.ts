/**
 * Runs the conformance suite over `SqliteClient` with a given driver, on a fresh database file in
 * the temp folder (so WAL applies), and prints the results as one JSON line after a marker.
 * Used by the Bun and Deno runners; node:fs and node:os work on both.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Layer, Option } from "effect"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import type { SqliteDriverFactory } from "../../adapters/sqlite/SqliteDriver.ts"
import { OtherConnection } from "./cases/sqliteLocks.ts"
import { type CaseResult, conformanceCases, runConformance } from "./conformance.ts"

export const RESULTS_MARKER = "SWITCHBOARD_CONFORMANCE_RESULTS "

export const runSqlite = async (driver: SqliteDriverFactory): Promise<ReadonlyArray<CaseResult>> => {
  const directory = mkdtempSync(join(tmpdir(), "switchboard-store-"))
  try {
    const filename = join(directory, "conformance.sqlite")
    // The lock cases open a second connection to the same file with the same driver.
    const layer = Layer.merge(
      SqliteClient.layer(driver, { filename }),
      Layer.succeed(OtherConnection, Option.some({ driver, filename }))
    )
    return await runConformance(conformanceCases(layer, "sqlite"))
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}

export const printResults = (results: ReadonlyArray<CaseResult>): void => {
  console.log(RESULTS_MARKER + JSON.stringify(results))
}
