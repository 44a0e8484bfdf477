/** The runtime matrix on Node with Postgres (`postgresMatrix.ts`). */
import { postgresMatrix } from "./postgresMatrix.ts"

postgresMatrix("node")
