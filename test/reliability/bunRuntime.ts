/**
 * The Bun server for the reliability tests, started the way the runtime matrix starts it (fresh
 * secrets, fakes for the vendors, a database file), but one that can be SIGKILLed and started
 * again on the same database file. Also the setup every test needs: a tenant with Linear
 * installed through the fake's consent page and one published agent.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { makeActors } from "../matrix/actors.ts"
import { makeRuntimeClient } from "../matrix/client.ts"
import { type Fakes, startFakes } from "../matrix/fakes.ts"
import { freshSecrets, type MatrixContext, runtimeEnv, type Secrets } from "../matrix/harness.ts"
import { bin, freePort, inheritedEnv, repoRoot, type Server, startServer, tail } from "../matrix/processes.ts"

export interface BunRuntime {
  readonly baseUrl: string
  readonly fakes: Fakes
  readonly secrets: Secrets
  readonly actors: ReturnType<typeof makeActors>
  /** Starts the server (again) on the same port and database; resolves once `/health` is 200. */
  readonly start: () => Promise<void>
  /** SIGKILL, no goodbye: what a crash or an OOM kill does. */
  readonly kill: () => void
  readonly log: () => string
  readonly close: () => Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const startBunRuntime = async (sinkUrl: string, extra: Readonly<Record<string, string>> = {}): Promise<BunRuntime> => {
  const secrets = freshSecrets()
  const fakes = await startFakes(secrets)
  const runDir = mkdtempSync(join(tmpdir(), "switchboard-reliability-"))
  const logFile = join(runDir, "bun.log")
  writeFileSync(logFile, "")
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const env = {
    ...inheritedEnv(),
    ...runtimeEnv(port, join(runDir, "switchboard.sqlite"), {
      secrets,
      linearApiUrl: fakes.linear.url,
      linearOAuthUrl: fakes.linear.url,
      sessionsUrl: sinkUrl,
      extra
    }),
    NO_COLOR: "1"
  }
  let server: Server | undefined
  const context = (): MatrixContext => ({ baseUrl, secrets, fakes, env, logs: () => tail(logFile, 100_000) })
  const start = async () => {
    server = startServer({ command: bin("bun"), args: ["runtimes/bun/main.ts"], env }, logFile)
    const deadline = Date.now() + 45_000
    while (Date.now() < deadline) {
      if (server.hasExited()) throw new Error(`bun exited before it was ready\n${tail(logFile)}`)
      const ok = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) }).then(
        async (response) => (await response.arrayBuffer(), response.status === 200),
        () => false
      )
      if (ok) return
      await sleep(100)
    }
    throw new Error(`bun did not answer GET /health\n${tail(logFile)}`)
  }
  await start()
  return {
    baseUrl,
    fakes,
    secrets,
    actors: makeActors(context, makeRuntimeClient(() => baseUrl)),
    start,
    kill: () => {
      const pid = server?.child.pid
      if (pid !== undefined) process.kill(-pid, "SIGKILL")
    },
    log: () => tail(logFile, 200),
    close: async () => {
      await server?.stop()
      await fakes.close()
      rmSync(runDir, { recursive: true, force: true })
    }
  }
}

/** A tenant, Linear installed, one agent published on it; returns the tenant's API key. */
export const publishAgent = async (runtime: BunRuntime): Promise<string> => {
  const tenant = await runtime.actors.createTenant("reliability")
  const installation = await runtime.actors.installLinear(tenant.apiKey)
  await runtime.actors.createPublication(tenant.apiKey, installation, "agent-r", ["comments:write"])
  return tenant.apiKey
}

/** The one-line summary a reliability test leaves in test-artifacts/reliability/<name>.txt. */
export const writeSummary = (name: string, line: string): void => {
  const folder = join(repoRoot, "test-artifacts", "reliability")
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, `${name}.txt`), `${line}\n`)
}
