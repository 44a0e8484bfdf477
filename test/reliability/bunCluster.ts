/**
 * Several Bun instances of one deployment on one Postgres database, as behind a load balancer:
 * the same secrets, vendors (fakes) and public URL (the first instance's, so install callbacks
 * and MCP tokens name one deployment), each on its own port. An instance can be SIGKILLed.
 * Also used by bench/scaleout.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { makeActors } from "../matrix/actors.ts"
import { makeRuntimeClient } from "../matrix/client.ts"
import { type Fakes, startFakes } from "../matrix/fakes.ts"
import { freshSecrets, type MatrixContext, runtimeEnv, type Secrets } from "../matrix/harness.ts"
import { bin, freePort, inheritedEnv, type Server, startServer, tail } from "../matrix/processes.ts"

export interface Instance {
  readonly baseUrl: string
  /** SIGKILL, no goodbye. */
  readonly kill: () => void
  readonly alive: () => boolean
  readonly log: () => string
}

export interface BunCluster {
  readonly instances: ReadonlyArray<Instance>
  readonly fakes: Fakes
  readonly secrets: Secrets
  /** Operator and vendor actions through the first instance. */
  readonly actors: ReturnType<typeof makeActors>
  readonly close: () => Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const waitForHealth = async (baseUrl: string, server: Server, logFile: string) => {
  const deadline = Date.now() + 60_000
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

export const startBunCluster = async (options: {
  readonly count: number
  readonly databaseUrl: string
  readonly sinkUrl: string
  readonly extra?: Readonly<Record<string, string>>
}): Promise<BunCluster> => {
  const secrets = freshSecrets()
  const fakes = await startFakes(secrets)
  const runDir = mkdtempSync(join(tmpdir(), "switchboard-cluster-"))
  const ports = await Promise.all(Array.from({ length: options.count }, () => freePort()))
  const publicUrl = `http://127.0.0.1:${ports[0]}`
  const servers: Array<Server> = []
  const instances: Array<Instance> = []
  try {
    // Started together: the migrations' advisory lock is what keeps that safe.
    await Promise.all(ports.map(async (port, index) => {
      const logFile = join(runDir, `bun-${index}.log`)
      writeFileSync(logFile, "")
      const env = {
        ...inheritedEnv(),
        ...runtimeEnv(port, join(runDir, "unused.sqlite"), {
          secrets,
          linearApiUrl: fakes.linear.url,
          linearOAuthUrl: fakes.linear.url,
          sessionsUrl: options.sinkUrl,
          extra: options.extra ?? {}
        }),
        SWITCHBOARD_PUBLIC_URL: publicUrl,
        SWITCHBOARD_DATABASE_URL: options.databaseUrl,
        NO_COLOR: "1"
      }
      const server = startServer({ command: bin("bun"), args: ["runtimes/bun/main.ts"], env }, logFile)
      servers.push(server)
      const baseUrl = `http://127.0.0.1:${port}`
      await waitForHealth(baseUrl, server, logFile)
      instances[index] = {
        baseUrl,
        kill: () => {
          const pid = server.child.pid
          if (pid !== undefined) process.kill(-pid, "SIGKILL")
        },
        alive: () => !server.hasExited(),
        log: () => tail(logFile, 200)
      }
    }))
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()))
    await fakes.close()
    rmSync(runDir, { recursive: true, force: true })
    throw error
  }
  const context = (): MatrixContext => ({ baseUrl: publicUrl, secrets, fakes, env: {}, logs: () => instances[0]?.log() ?? "" })
  return {
    instances,
    fakes,
    secrets,
    actors: makeActors(context, makeRuntimeClient(() => publicUrl)),
    close: async () => {
      await Promise.all(servers.map((server) => server.stop()))
      await fakes.close()
      rmSync(runDir, { recursive: true, force: true })
    }
  }
}
