/**
 * The compiled entries `npm run start:node` and `npm run start:bun` run (scripts/build-entry.ts):
 * each builds, starts, answers, and serves the first authenticated `/mcp` request (the MCP SDK is
 * imported lazily: on Node a chunk of its own, on Bun a file of its own; a start loads neither).
 */
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative } from "node:path"
import { Effect, Redacted, Schema } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { version as consoleVersion } from "../../console/assets.ts"
import { InstallationId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import { base64Encode } from "../../kernel/encoding/Encoding.ts"
import { SessionTokens } from "../../kernel/vault/SessionTokens.ts"
import { buildEntry, entryBuildFile } from "../../scripts/build-entry.ts"
import { bin, freePort, inheritedEnv, repoRoot } from "../matrix/processes.ts"
import { startPostgres } from "../support/postgres.ts"

const runDir = mkdtempSync(join(tmpdir(), "switchboard-built-"))
afterAll(() => rmSync(runDir, { recursive: true, force: true }))

/** A string only the MCP SDK's server holds (an error message): present in a file means the SDK is in it. */
const sdkMarker = "This MCP handler has been closed"
/** The Postgres client's service key: present in a file means the Postgres client is in it. */
const postgresMarker = "@effect/sql-pg/PgClient"
/** Effect's Cron module's type id: present in a file means all of Effect came in through its barrel. */
const cronMarker = "~effect/Cron"

const signingKey = "k".repeat(48)
const publicUrl = "http://127.0.0.1"

/** What every built entry is started with: the machine's env, where to listen, the kernel's keys. */
const serverEnv = (port: number): Record<string, string> => ({
  ...inheritedEnv(),
  PORT: String(port),
  HOST: "127.0.0.1",
  SWITCHBOARD_PUBLIC_URL: publicUrl,
  MCP_SIGNING_KEY: signingKey,
  SWITCHBOARD_VAULT_KEYS: `k1:${base64Encode(new Uint8Array(32).fill(3))}`
})

const commands = {
  node: (file: string) => ({ command: process.execPath, args: [file] }),
  bun: (file: string) => ({ command: bin("bun"), args: [file] })
} as const

const waitFor = async (url: string, init: RequestInit = {}): Promise<Response> => {
  const deadline = Date.now() + 20_000
  while (true) {
    try {
      return await fetch(url, init)
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolveWait) => setTimeout(resolveWait, 50))
    }
  }
}

describe("built entries", { timeout: 60_000 }, () => {
  for (const runtime of ["node", "bun"] as const) {
    it(`${runtime}: builds, serves, and loads the MCP SDK for the first /mcp call`, async () => {
      await buildEntry(runtime)
      if (runtime === "node") {
        // CommonJS files run by main.mjs from V8's code cache, which the build's own run of the
        // SQLite app wrote (named by the source's hash). main.mjs runs the app built for the
        // database the settings name: SQLite here, whose build holds no Postgres client.
        const folder = join(repoRoot, "build", runtime)
        const file = (name: string) => readFileSync(join(folder, name), "utf8")
        const caches = readdirSync(folder).filter((name) => /^app-sqlite\.\w+\.v8cache$/.test(name))
        expect(caches).toHaveLength(1)
        const main = file("main.mjs")
        expect(main).toContain("app-sqlite")
        expect(main).toContain("app-postgres")
        expect(main).not.toContain(sdkMarker)
        // What a SQLite start loads (main.mjs and app-sqlite.cjs) holds neither the MCP SDK, nor
        // the Postgres client, nor the Console's files (known by their version): each is in a
        // file of its own that is required on first use.
        const sqlite = file("app-sqlite.cjs")
        expect(sqlite).not.toContain(sdkMarker)
        expect(sqlite).not.toContain(postgresMarker)
        expect(sqlite).not.toContain(consoleVersion)
        expect(sqlite).toContain(`require("./mcp-server.cjs")`)
        expect(sqlite).toContain(`require("./console-assets.cjs")`)
        expect(file("mcp-server.cjs")).toContain(sdkMarker)
        expect(file("app-postgres.cjs")).toContain(postgresMarker)
        expect(file("console-assets.cjs")).toContain(consoleVersion)
        // Only the Effect modules the kernel uses, not all of Effect through its barrel.
        expect(sqlite).not.toContain(cronMarker)
        expect(file("app-postgres.cjs")).not.toContain(cronMarker)
        // better-sqlite3's JavaScript is in the app (and its code cache); only its addon is required.
        expect(sqlite).not.toContain(`require("better-sqlite3")`)
        expect(sqlite).toContain(`"better-sqlite3/build/Release/"`)
      } else {
        // CommonJS files with their bytecode beside them. main.js runs the app built for the
        // database the settings name: SQLite here, whose build holds no Postgres client.
        const folder = join(repoRoot, "build", runtime)
        const file = (name: string) => readFileSync(join(folder, name), "utf8")
        for (const name of ["main.js", "app-sqlite.js", "app-postgres.js", "mcp-server.js"]) {
          expect(existsSync(join(folder, `${name}.jsc`))).toBe(true)
        }
        expect(file("main.js")).toContain(`require("./app-sqlite.js")`)
        expect(file("main.js")).toContain(`require("./app-postgres.js")`)
        const sqlite = file("app-sqlite.js")
        expect(sqlite).not.toContain(postgresMarker)
        expect(file("app-postgres.js")).toContain(postgresMarker)
        // The MCP SDK and the Console's files are files of their own, which the app imports on
        // first use: a start does not load them.
        expect(sqlite).not.toContain(sdkMarker)
        expect(sqlite).not.toContain(consoleVersion)
        expect(sqlite).toContain(`import("./mcp-server.js")`)
        expect(file("mcp-server.js")).toContain(sdkMarker)
        expect(file("console-assets.js")).toContain(consoleVersion)
        // Only the Effect modules the kernel uses are in the apps, not all of Effect through its
        // barrel (`effectSubpaths`): Cron is one nothing here uses.
        expect(sqlite).not.toContain(cronMarker)
        expect(file("app-postgres.js")).not.toContain(cronMarker)
      }

      const port = await freePort()
      const { command, args } = commands[runtime](relative(repoRoot, entryBuildFile(runtime)))
      const child = spawn(command, [...args], {
        cwd: repoRoot,
        stdio: "ignore",
        env: {
          ...serverEnv(port),
          // In a folder that does not exist yet: the entry makes it.
          SWITCHBOARD_DATABASE: join(runDir, runtime, "data", `${runtime}.sqlite`),
          SWITCHBOARD_MCP_ALLOWED_HOSTS: "127.0.0.1"
        }
      })
      try {
        const health = await waitFor(`http://127.0.0.1:${port}/health`)
        expect(health.status).toBe(200)
        const minted = await Effect.runPromise(SessionTokens.make(Redacted.make(signingKey), publicUrl).mint({
          tenantId: Schema.decodeSync(TenantId)("ten_none"),
          publicationId: Schema.decodeSync(PublicationId)("pub_none"),
          installationId: Schema.decodeSync(InstallationId)("ins_none"),
          sessionKey: "built",
          scopes: []
        }))
        const listed = await fetch(`http://127.0.0.1:${port}/mcp`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
            "mcp-protocol-version": "2025-06-18",
            authorization: `Bearer ${minted.token}`
          },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} })
        })
        expect(listed.status).toBe(200)
        // A session whose publication does not exist may call nothing.
        expect(await listed.text()).toContain(`"tools":[]`)
        if (runtime === "node") {
          // The build's code cache was taken: a process that had none, or whose cache V8
          // refused, writes a fresh one (a new file in its place) when it exits.
          const cache = () => readdirSync(join(repoRoot, "build", "node")).filter((name) => name.endsWith(".v8cache"))
            .map((name) => `${name}:${statSync(join(repoRoot, "build", "node", name)).ino}`)
          const before = cache()
          const exited = new Promise((resolveExit) => child.once("exit", resolveExit))
          child.kill("SIGINT")
          await exited
          expect(cache()).toEqual(before)
        }
      } finally {
        child.kill("SIGKILL")
      }
    })
  }

  for (const runtime of ["node", "bun"] as const) it(`${runtime}: with a postgres:// database URL, the entry runs the app built with Postgres`, async () => {
    await buildEntry(runtime)
    const postgres = await startPostgres()
    try {
      const url = postgres.createDatabase(`built_${runtime}`)
      const port = await freePort()
      const { command, args } = commands[runtime](relative(repoRoot, entryBuildFile(runtime)))
      const child = spawn(command, [...args], {
        cwd: repoRoot,
        stdio: "ignore",
        env: { ...serverEnv(port), SWITCHBOARD_DATABASE_URL: url }
      })
      try {
        const health = await waitFor(`http://127.0.0.1:${port}/health`)
        expect(health.status).toBe(200)
        // Migrated in Postgres: the app that started has the Postgres modules.
        expect(Number(postgres.psql(`built_${runtime}`, "SELECT count(*) FROM tenants"))).toBe(0)
      } finally {
        child.kill("SIGKILL")
      }
    } finally {
      postgres.stop()
    }
  })

  it("node: without a code cache, a clean stop writes one and a failed start does not", async () => {
    await buildEntry("node")
    const folder = join(repoRoot, "build", "node")
    const caches = () => readdirSync(folder).filter((name) => name.endsWith(".v8cache"))
    for (const name of caches()) rmSync(join(folder, name))
    const run = (env: Record<string, string>) => {
      const child = spawn(process.execPath, [relative(repoRoot, entryBuildFile("node"))], { cwd: repoRoot, stdio: "ignore", env })
      const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)))
      return { child, exited }
    }
    // A bad setting: preflight exits 1 before anything is built.
    const port = await freePort()
    const failed = run({ ...serverEnv(port), SWITCHBOARD_PUBLIC_URL: "ftp://127.0.0.1", SWITCHBOARD_DATABASE: join(runDir, "cache", "failed.sqlite") })
    expect(await failed.exited).toBe(1)
    expect(caches()).toEqual([])
    const served = run({ ...serverEnv(port), SWITCHBOARD_DATABASE: join(runDir, "cache", "node.sqlite") })
    try {
      expect((await waitFor(`http://127.0.0.1:${port}/health`)).status).toBe(200)
      served.child.kill("SIGINT")
      expect(await served.exited).toBe(0)
      expect(caches()).toHaveLength(1)
      expect(caches()[0]).toMatch(/^app-sqlite\.\w+\.v8cache$/)
    } finally {
      served.child.kill("SIGKILL")
    }
  })
})
