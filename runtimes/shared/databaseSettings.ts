/**
 * The database settings of the long-running runtimes (Bun, Deno, Node), read and checked without
 * loading a database client, so preflight stays cheap.
 *
 * | env | meaning |
 * |---|---|
 * | SWITCHBOARD_DATABASE_URL | `postgres://user:password@host:5432/db`: Postgres instead of SQLite |
 * | SWITCHBOARD_DATABASE_POOL | connections each instance opens to Postgres (default 10) |
 */

export const DEFAULT_POOL = 10

/** Whether a database URL names Postgres rather than a SQLite file. */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url)

/** The Postgres URL when SWITCHBOARD_DATABASE_URL sets one. */
export const postgresUrl = (env: Readonly<Record<string, string | undefined>>): string | undefined => {
  const url = env["SWITCHBOARD_DATABASE_URL"]
  return url !== undefined && isPostgresUrl(url.trim()) ? url.trim() : undefined
}

export const poolSize = (env: Readonly<Record<string, string | undefined>>): number => {
  const pool = env["SWITCHBOARD_DATABASE_POOL"]
  return pool === undefined ? DEFAULT_POOL : Number(pool)
}

/** One line per invalid database setting (for preflight). */
export const databaseProblems = (env: Readonly<Record<string, string | undefined>>): ReadonlyArray<string> => {
  const lines: Array<string> = []
  const url = env["SWITCHBOARD_DATABASE_URL"]
  if (url !== undefined && url.trim() !== "" && !(isPostgresUrl(url.trim()) && URL.canParse(url.trim()))) {
    lines.push("SWITCHBOARD_DATABASE_URL is invalid (not a postgres:// URL): postgres://user:password@host:5432/database, or unset for SQLite")
  }
  const pool = env["SWITCHBOARD_DATABASE_POOL"]
  if (pool !== undefined && !(/^\d+$/.test(pool) && Number(pool) >= 1)) {
    lines.push(`SWITCHBOARD_DATABASE_POOL is invalid (${JSON.stringify(pool)}): a whole number of connections, 1 or more (default ${DEFAULT_POOL})`)
  }
  return lines
}
