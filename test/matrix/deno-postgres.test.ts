/** The runtime matrix on Deno with Postgres (`postgresMatrix.ts`). */
import { postgresMatrix } from "./postgresMatrix.ts"

postgresMatrix("deno")
