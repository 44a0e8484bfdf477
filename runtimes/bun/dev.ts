/**
 * `npm run dev`: Switchboard on Bun with embedded SQLite and the offline sandbox, so the whole
 * loop works without any third-party account. The sandbox serves the local fakes of the
 * vendors' APIs (OAuth consent pages included), each on its own port as if on its own host
 * (Linear on PORT+1); the kernel talks to them
 * through the same code path as production, only the base URLs differ. A demo tenant and its
 * API key are created on first start and printed.
 */
import * as BunSqlite from "../../adapters/sqlite/drivers/bun.ts"
import * as SqliteClient from "../../adapters/sqlite/SqliteClient.ts"
import { makeApp } from "../../kernel/Kernel.ts"
import { makeFakeLinear } from "../../providers/testing/fakes/linear/FakeLinear.ts"
import { runtimeDependencies } from "../shared/dependencies.ts"
import { loadDevSettings } from "../shared/devEnv.ts"
import { databaseFile, internalError, listenOptions, onShutdown } from "../shared/server.ts"

interface BunServer {
  readonly port: number
  readonly stop: (closeActiveConnections?: boolean) => Promise<void>
}
interface BunServe {
  readonly serve: (options: {
    readonly port: number
    readonly hostname: string
    readonly fetch: (request: Request) => Promise<Response>
    readonly error: (error: Error) => Response
  }) => BunServer
}
const Bun = (globalThis as unknown as { readonly Bun: BunServe }).Bun

const options = listenOptions(process.env)
const publicUrl = process.env["SWITCHBOARD_PUBLIC_URL"] ?? `http://localhost:${options.port}`
const sandboxPort = Number(process.env["SANDBOX_PORT"] ?? options.port + 1)
const sandboxUrl = `http://localhost:${sandboxPort}`

const settings = loadDevSettings(".data/dev.json", {
  SWITCHBOARD_PUBLIC_URL: publicUrl,
  SWITCHBOARD_DATABASE: ".data/switchboard.sqlite",
  LINEAR_API_URL: sandboxUrl,
  LINEAR_OAUTH_URL: sandboxUrl
})
const env = settings.env

const linear = makeFakeLinear({
  clientId: env["LINEAR_CLIENT_ID"],
  clientSecret: env["LINEAR_CLIENT_SECRET"],
  redirectUris: [`${publicUrl}/install/linear/callback`]
})
const app = makeApp(
  runtimeDependencies({ env, sql: SqliteClient.layer(BunSqlite.driver, { filename: databaseFile(env) }), migrate: true }),
  { poller: true }
)

const error = (cause: Error) => {
  console.error("switchboard: handler threw", cause)
  return internalError()
}
const sandboxServer = Bun.serve({ port: sandboxPort, hostname: "127.0.0.1", fetch: linear.handler, error })
const server = Bun.serve({ ...options, fetch: (request) => app.fetch(request), error })

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
console.log(`
Switchboard is running (Bun + SQLite, offline sandbox).

  Switchboard    ${publicUrl}
  Integrations   ${publicUrl}/v1/integrations
  Sandbox        ${sandboxUrl} (a local fake of Linear's OAuth and GraphQL API)
  Demo API key   ${apiKey}
  Data           ${env["SWITCHBOARD_DATABASE"]} (secrets in .data/dev.json)

Next:
  curl -s ${publicUrl}/v1/integrations
  curl -si -H "authorization: Bearer ${apiKey}" ${publicUrl}/install/linear   # OAuth start → sandbox consent
`)
onShutdown(app, async () => {
  await server.stop()
  await sandboxServer.stop()
})
