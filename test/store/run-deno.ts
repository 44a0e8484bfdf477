/**
 * The store conformance suite on Deno's `node:sqlite`. npm packages resolve from node_modules,
 * so it runs offline: `npx deno run -A --node-modules-dir=manual test/store/run-deno.ts`.
 */
import { driver } from "../../adapters/sqlite/drivers/deno.ts"
import { printResults, runSqlite } from "./runSqlite.ts"

printResults(await runSqlite(driver))
