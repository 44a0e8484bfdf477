/** The store conformance suite on Bun's `bun:sqlite`: `npx bun test/store/run-bun.ts`. */
import { driver } from "../../adapters/sqlite/drivers/bun.ts"
import { printResults, runSqlite } from "./runSqlite.ts"

printResults(await runSqlite(driver))
