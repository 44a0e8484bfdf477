/** The runtime matrix on Bun with Postgres (`postgresMatrix.ts`). */
import { postgresMatrix } from "./postgresMatrix.ts"

postgresMatrix("bun")
