/**
 * Settings and lifecycle shared by the long-running runtimes (Node, Bun, Deno): where to listen,
 * where the SQLite file lives, and a clean stop on SIGINT/SIGTERM (stop accepting, let the
 * kernel's fibers and poller finish through `dispose`, then exit).
 *
 * | env | meaning |
 * |---|---|
 * | PORT | port to listen on (default 8787) |
 * | HOST | address to listen on (default 0.0.0.0) |
 * | SWITCHBOARD_DATABASE | SQLite file (default `.data/switchboard.sqlite`; its folder is created) |
 */
// The global `process` (Node, Bun and Deno 2 all have it), not `import process from "node:process"`:
// the bundled Bun entry turns that default import into a copy of every property of `process`,
// which costs Bun about 10 ms at start (reading each descriptor materialises its lazy ones).
// `node:fs` and `node:path` likewise only through `process.getBuiltinModule`, when a folder is
// made: evaluating them cost Bun about 2 ms of every start, and its entry needs neither.
import type { KernelApp } from "../../kernel/Kernel.ts"

export interface ListenOptions {
  readonly port: number
  readonly hostname: string
}

export const listenOptions = (env: Readonly<Record<string, string | undefined>>): ListenOptions => {
  const port = Number(env["PORT"] ?? "8787")
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT is not a port: ${env["PORT"]}`)
  return { port, hostname: env["HOST"] ?? "0.0.0.0" }
}

/** SWITCHBOARD_DATABASE (default `.data/switchboard.sqlite`), as it is. */
export const databasePath = (env: Readonly<Record<string, string | undefined>>): string =>
  env["SWITCHBOARD_DATABASE"] ?? ".data/switchboard.sqlite"

/** SWITCHBOARD_DATABASE (default `.data/switchboard.sqlite`); its folder is created. */
export const databaseFile = (env: Readonly<Record<string, string | undefined>>): string => {
  const file = databasePath(env)
  if (file !== ":memory:") {
    process.getBuiltinModule("node:fs").mkdirSync(process.getBuiltinModule("node:path").dirname(file), { recursive: true })
  }
  return file
}

export const onShutdown = (app: KernelApp, stop: () => Promise<void>): void => {
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`switchboard: ${signal}, stopping`)
    const forced = setTimeout(() => process.exit(1), 10_000)
    forced.unref?.()
    void stop().catch(() => {}).then(() => app.dispose()).catch((error: unknown) => {
      console.error("switchboard: dispose failed", error)
    }).finally(() => process.exit(0))
  }
  process.once("SIGINT", () => shutdown("SIGINT"))
  process.once("SIGTERM", () => shutdown("SIGTERM"))
}

/** A last resort for a handler that threw: never a stack trace in the body. */
export const internalError = (): Response =>
  new Response(JSON.stringify({ error: { reason: "Internal", message: "Internal error" } }), {
    status: 500,
    headers: { "content-type": "application/json" }
  })

export const listening = (runtime: string, options: ListenOptions, port: number): void => {
  console.log(`switchboard (${runtime}) listening on http://${options.hostname}:${port}`)
}
