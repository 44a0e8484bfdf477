/**
 * The servers the bench starts: Switchboard's production entries (compiled, as `npm run
 * start:node` and `start:bun` run them; Deno runs its TypeScript entry) and the bare handlers and
 * peers of bench/servers/.
 */
import { randomBytes } from "node:crypto"
import { join, relative } from "node:path"
import { buildEntry, entryBuildFile } from "../../scripts/build-entry.ts"
import type { BuiltRuntime } from "../../scripts/build-entry.ts"
import { bin, type Command, freePort, repoRoot, type Spawned, startServer } from "./processes.ts"
import { GITHUB_SECRET } from "./payloads.ts"

export type Runtime = "bun" | "node" | "deno"

/** How each runtime runs a TypeScript entry (Node through tsx's loader, in one process). */
export const runtimeCommand = (runtime: Runtime, entry: string): Omit<Command, "env"> =>
  runtime === "bun"
    ? { command: bin("bun"), args: [entry] }
    : runtime === "deno"
    ? { command: bin("deno"), args: ["run", "-A", "--quiet", entry] }
    : { command: process.execPath, args: ["--import", "tsx", entry] }

/** How `npm run start:node` and `npm run start:bun` run Switchboard: the compiled file. */
export const builtEntry = (runtime: BuiltRuntime): Omit<Command, "env"> => ({
  command: runtime === "node" ? process.execPath : bin("bun"),
  args: [relative(repoRoot, entryBuildFile(runtime))]
})

let built: Promise<void> | undefined

/** Builds what the compiled entries run (as their prestart scripts do, once per bench), before anything is timed. */
export const buildEntries = (): Promise<void> =>
  built ??= (async () => {
    await buildEntry("node")
    await buildEntry("bun")
  })()

/** The settings Switchboard runs with in the bench (fresh keys; `port` names its public URL). */
export const switchboardEnv = (port: number) => ({
  PORT: String(port),
  HOST: "127.0.0.1",
  SWITCHBOARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
  MCP_SIGNING_KEY: randomBytes(32).toString("base64url"),
  SWITCHBOARD_VAULT_KEYS: `k1:${randomBytes(32).toString("base64")}`,
  // A throughput bench: the per-tenant rate limit would answer most of it with 429.
  SWITCHBOARD_WEBHOOKS_PER_MINUTE: "0",
  GITHUB_WEBHOOK_SECRET: GITHUB_SECRET
})

/** Switchboard's production entry of a runtime, on a fresh SQLite file unless `env` names one. */
export const startSwitchboard = async (runtime: Runtime, directory: string, env: Readonly<Record<string, string>> = {}): Promise<Spawned> => {
  const port = await freePort()
  if (runtime !== "deno") await buildEntries()
  return startServer({
    ...(runtime === "deno" ? runtimeCommand(runtime, join(repoRoot, "runtimes", runtime, "main.ts")) : builtEntry(runtime)),
    port,
    log: join(directory, `switchboard-${runtime}-${port}.log`),
    readyPath: "/health",
    env: { ...switchboardEnv(port), SWITCHBOARD_DATABASE: join(directory, `switchboard-${runtime}-${port}.sqlite`), ...env }
  })
}

/** A bench server from bench/servers/ (bare handlers and peers). */
export const startBenchServer = async (runtime: Runtime, file: string, directory: string, secret: string): Promise<Spawned> => {
  const port = await freePort()
  return startServer({
    ...runtimeCommand(runtime, join(repoRoot, "bench", "servers", file)),
    port,
    log: join(directory, `${file}-${port}.log`),
    env: { PORT: String(port), DATABASE: join(directory, `${file}-${port}.sqlite`), SECRET: secret }
  })
}
