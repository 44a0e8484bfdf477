/**
 * A private Postgres server for one test run: `initdb` into a temporary folder, `pg_ctl start` on
 * a free loopback port (its socket in the same folder), and a clean stop that removes the folder.
 * Quiet: the server's log goes to a file in that folder, shown only when starting fails.
 *
 * Postgres refuses to run as root, and CI runs as root: then the folder is handed to the
 * `postgres` system user (Debian's package creates it) and the binaries run as that user through
 * `runuser`. As any other user they run as that user. Node only (tests and the bench).
 */
import { execFileSync } from "node:child_process"
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: trust authentication on loopback only. */
  readonly url: string
  readonly port: number
  /** Creates a fresh database and returns its URL. */
  readonly createDatabase: (name: string) => string
  /** Runs one statement with psql in `database`; returns its unaligned, tuples-only output. */
  readonly psql: (database: string, statement: string) => string
  /** Stops the server (immediately: nothing in it is worth keeping) and removes its folder. */
  readonly stop: () => void
}

/** Where Debian puts the server binaries; the newest major installed wins. */
export const postgresBin = (): string | undefined => {
  const root = "/usr/lib/postgresql"
  if (!existsSync(root)) return undefined
  const majors = readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a))
  for (const major of majors) {
    const bin = join(root, major, "bin")
    if (existsSync(join(bin, "initdb"))) return bin
  }
  return undefined
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const isRoot = (): boolean => typeof process.getuid === "function" && process.getuid() === 0

const systemUser = (name: string): { readonly uid: number; readonly gid: number } => {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((entry) => entry.startsWith(`${name}:`))
  const fields = line?.split(":")
  if (fields === undefined || fields[2] === undefined || fields[3] === undefined) {
    throw new Error(`Postgres cannot run as root and there is no '${name}' user: install Debian's postgresql package`)
  }
  return { uid: Number(fields[2]), gid: Number(fields[3]) }
}

export const startPostgres = async (): Promise<PostgresServer> => {
  const bin = postgresBin()
  if (bin === undefined) throw new Error("Postgres is not installed: apt-get install postgresql (.ci/run does)")
  const folder = mkdtempSync(join(tmpdir(), "switchboard-pg-"))
  const data = join(folder, "data")
  const log = join(folder, "server.log")
  const asRoot = isRoot()
  if (asRoot) {
    const user = systemUser("postgres")
    chownSync(folder, user.uid, user.gid)
  }
  chmodSync(folder, 0o700)
  const run = (tool: string, args: ReadonlyArray<string>): string => {
    const command = asRoot ? "runuser" : join(bin, tool)
    const argv = asRoot ? ["-u", "postgres", "--", join(bin, tool), ...args] : [...args]
    return execFileSync(command, argv, { stdio: ["ignore", "pipe", "pipe"], cwd: folder, encoding: "utf8" })
  }
  const port = await freePort()
  try {
    run("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"])
    // Durability off: a test database is thrown away, and fsync on two shared cores is the bottleneck.
    const options = [
      "-c listen_addresses=127.0.0.1",
      `-c port=${port}`,
      `-c unix_socket_directories=${folder}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200"
    ].join(" ")
    run("pg_ctl", ["-D", data, "-l", log, "-o", options, "-w", "-t", "30", "start"])
  } catch (error) {
    const output = existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : ""
    rmSync(folder, { recursive: true, force: true })
    const stderr = error instanceof Error && "stderr" in error ? String(error.stderr) : String(error)
    throw new Error(`Postgres did not start: ${stderr}\n${output}`)
  }
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`
  let stopped = false
  return {
    url: urlOf("postgres"),
    port,
    createDatabase: (name) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`)
      run("psql", ["-h", folder, "-p", String(port), "-U", "postgres", "-q", "-c", `CREATE DATABASE ${name}`])
      return urlOf(name)
    },
    psql: (database, statement) =>
      run("psql", ["-h", folder, "-p", String(port), "-U", "postgres", "-d", database, "-At", "-c", statement]).trim(),
    stop: () => {
      if (stopped) return
      stopped = true
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
    }
  }
}
