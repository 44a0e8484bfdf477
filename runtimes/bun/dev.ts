/**
 * `npm run dev`: the whole loop on one machine, without any third-party account.
 *
 * - Switchboard on Bun with embedded SQLite, the Console at `/`;
 * - the sandbox: a local fake of each provider's API (OAuth consent page included) from the
 *   sandbox table, each on its own port as if on its own host (PORT+1, PORT+2 ...), its state
 *   kept in the data folder; the kernel reaches them through the production code path, only
 *   the base URLs differ. `/_sandbox` beside the kernel lets the Console simulate webhooks;
 * - a demo agent as the session sink: on each dispatch it calls a read tool and a write tool
 *   through MCP with the dispatch's token (unless SWITCHBOARD_SESSIONS_URL names a real one);
 * - a demo tenant created on first start, its API key in the Console link printed at the end.
 *
 * | env | meaning |
 * |---|---|
 * | PORT, HOST | where Switchboard listens (default 8787, 127.0.0.1: the sandbox is unauthenticated) |
 * | SANDBOX_PORT | the first fake's port (default PORT+1); `0` picks free ports |
 * | SWITCHBOARD_DEV_DATA | data folder (default `.data`) |
 * | SWITCHBOARD_DEMO_AGENT | `off`: log dispatches instead of acting on them |
 * | SWITCHBOARD_LOG_FORMAT | `pretty` here by default; `json` for one object per line |
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Layer } from "effect"
import * as DemoAgentSink from "../../adapters/sink/DemoAgentSink.ts"
import * as BunSqlite from "../../adapters/sqlite/drivers/bun.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { makeApp } from "../shared/app.ts"
import type { SandboxAdapter, SandboxFake } from "../../sandbox/dev/Sandbox.ts"
import { sandboxAdapters } from "../../sandbox/dev/SandboxAdapters.ts"
import { withIndexPage } from "../../sandbox/dev/FakeIndex.ts"
import { makeSandboxRoutes } from "../../sandbox/dev/SandboxRoutes.ts"
import { runtimeDependencies } from "../shared/dependencies.ts"
import { devDataDir, devSettingsFile, generateKernelSecrets, loadDevSettings } from "../shared/devEnv.ts"
import { internalError, listenOptions, onShutdown } from "../shared/server.ts"

/**
 * Bun.serve, or one message a person can act on when the port is taken (usually by another
 * `npm run dev`): which port, what wanted it, and how to choose others. No stack trace.
 */
const serveOrExplain = (what: string, serve: () => Bun.Server<undefined>): Bun.Server<undefined> => {
  try {
    return serve()
  } catch (cause) {
    if (!(cause instanceof Error) || !("code" in cause) || cause.code !== "EADDRINUSE") throw cause
    const port = /port (\d+)/.exec(cause.message)?.[1] ?? "?"
    const other = options.port === 9800 ? 9900 : 9800
    console.error([
      `switchboard dev: port ${port} (${what}) is in use: is another \`npm run dev\` (or something else) running there?`,
      "Stop it, or choose other ports:",
      `  PORT=${other} npm run dev                 Switchboard on ${other}, the sandbox's fakes on the ports after it`,
      `  SANDBOX_PORT=0 npm run dev            the fakes on free ports (Switchboard stays on ${options.port})`
    ].join("\n"))
    process.exit(1)
  }
}

const error = (cause: Error) => {
  console.error("switchboard: handler threw", cause)
  return internalError()
}

// Loopback unless told otherwise: the sandbox's controls and the demo tenant are for this machine.
const options = listenOptions({ HOST: "127.0.0.1", ...process.env })
const publicUrl = (process.env["SWITCHBOARD_PUBLIC_URL"] ?? `http://localhost:${options.port}`).replace(/\/+$/, "")
const dataDir = devDataDir(process.env)
const settings = loadDevSettings(devSettingsFile(dataDir), {
  defaults: {
    SWITCHBOARD_PUBLIC_URL: publicUrl,
    SWITCHBOARD_DATABASE: join(dataDir, "switchboard.sqlite"),
    SWITCHBOARD_LOG_FORMAT: "pretty",
    // The Console polls every few seconds: show what failed (refused webhooks included), not every poll.
    SWITCHBOARD_ACCESS_LOG: "errors"
  },
  generate: () => Object.assign(generateKernelSecrets(), ...sandboxAdapters.map((adapter) => adapter.generateSecrets()))
})

// ---------------------------------------------------------------- the sandbox

interface ServedFake {
  readonly adapter: SandboxAdapter
  readonly fake: SandboxFake
  readonly server: Bun.Server<undefined>
  readonly url: string
  readonly save: () => void
}

const firstSandboxPort = Number(process.env["SANDBOX_PORT"] ?? options.port + 1)

const serveFake = async (adapter: SandboxAdapter, index: number): Promise<ServedFake> => {
  const fake = adapter.makeFake({ publicUrl, env: settings.env })
  const file = join(dataDir, `sandbox-${adapter.providerId}.json`)
  if (existsSync(file)) {
    try {
      await fake.restore(readFileSync(file, "utf8"))
    } catch (cause) {
      console.warn(`sandbox: could not restore ${file}, starting ${adapter.displayName} empty:`, cause)
    }
  }
  const save = () => writeFileSync(file, fake.snapshot())
  let pending: ReturnType<typeof setTimeout> | undefined
  const saveSoon = () => {
    if (pending !== undefined) return
    pending = setTimeout(() => {
      pending = undefined
      save()
    }, 250)
  }
  // Its own address in a browser shows what it is and the way to the Console, not the API's 404.
  const handler = withIndexPage(fake.handler, adapter.displayName, publicUrl)
  const server = serveOrExplain(`the ${adapter.displayName} sandbox`, () =>
    Bun.serve({
      port: firstSandboxPort === 0 ? 0 : firstSandboxPort + index,
      hostname: "127.0.0.1",
      fetch: async (request) => {
        const response = await handler(request)
        if (request.method !== "GET") saveSoon()
        return response
      },
      error
    }))
  return { adapter, fake, server, url: `http://127.0.0.1:${server.port}`, save }
}

const fakes = await Promise.all(sandboxAdapters.map(serveFake))
const env: Record<string, string> = {
  ...Object.assign({}, ...fakes.map(({ adapter, url }) => adapter.env(url))),
  ...settings.env
}

// ---------------------------------------------------------------- Switchboard

const demoAgent = env["SWITCHBOARD_SESSIONS_URL"] === undefined && env["SWITCHBOARD_DEMO_AGENT"] !== "off"
const dependencies = runtimeDependencies({
  env,
  sql: SqliteClient.layer(BunSqlite.driver, { filename: env["SWITCHBOARD_DATABASE"] ?? join(dataDir, "switchboard.sqlite") }),
  migrate: true
})
const plans = Object.fromEntries(sandboxAdapters.map((adapter) => [adapter.providerId, adapter.demo]))
const app = makeApp(
  // Merged last, the demo agent replaces the log sink the shared wiring picks without a URL.
  demoAgent ? Layer.merge(dependencies, DemoAgentSink.layer({ plans })) : dependencies,
  { poller: true }
)

const sandboxRoutes = makeSandboxRoutes({ fakes, env, publicUrl, send: (request) => app.fetch(request) })
const server = serveOrExplain("Switchboard", () =>
  Bun.serve({
    ...options,
    fetch: (request) => new URL(request.url).pathname.startsWith("/_sandbox") ? sandboxRoutes(request) : app.fetch(request),
    error
  }))

const ensureDemoTenant = async (): Promise<string> => {
  if (settings.apiKey !== undefined) return settings.apiKey
  const response = await app.fetch(new Request(`${publicUrl}/v1/tenants`, {
    method: "POST",
    headers: { authorization: `Bearer ${env["SWITCHBOARD_ADMIN_TOKEN"]}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "demo" })
  }))
  if (response.status !== 201) throw new Error(`could not create the demo tenant: ${response.status} ${await response.text()}`)
  const created: { apiKey: string } = await response.json()
  settings.save(created.apiKey)
  return created.apiKey
}

const apiKey = await ensureDemoTenant()
// The CLI's default is http://localhost:8787: on any other address the hint names this one.
const simulateHint = (adapter: SandboxAdapter) =>
  `node bin/switchboard.js simulate ${adapter.providerId} ${adapter.events[0]?.name ?? ""}${
    publicUrl === "http://localhost:8787" ? "" : ` --url ${publicUrl}`
  }`
const first = fakes[0]
const pad = (text: string) => text.padEnd(14)
console.log(`
Switchboard is running (Bun + SQLite, offline sandbox).

  ${pad("Console")}${publicUrl}/#key=${apiKey}
  ${pad("Demo API key")}${apiKey}
${fakes.map(({ adapter, url }) => `  ${pad(`Sandbox`)}${adapter.displayName}: ${url} (fake API and OAuth consent page)`).join("\n")}
  ${pad("Demo agent")}${
  demoAgent
    ? `answers each dispatch through MCP (${fakes.map(({ adapter }) => adapter.displayName).join(", ")}: a read tool, then a write tool)`
    : env["SWITCHBOARD_SESSIONS_URL"] ?? "off: dispatches are logged"
}
  ${pad("Data")}${dataDir}/ (SQLite, dev secrets, sandbox state; survives restarts)

Next:
  1. Open the Console link${first === undefined ? "" : ` and install ${first.adapter.displayName} (Continue, then Authorize on the sandbox consent page)`}.
  2. Publications: publish an agent to the new installation.
  3. Integrations > Sandbox > Simulate${first === undefined ? "" : `, or: ${simulateHint(first.adapter)}`}
  4. Deliveries shows the dispatch; the demo agent's reply appears under the simulation.
`)

onShutdown(app, async () => {
  for (const fake of fakes) fake.save()
  await server.stop()
  await Promise.all(fakes.map((fake) => fake.server.stop()))
})
