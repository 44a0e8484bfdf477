/**
 * Workers under `wrangler dev` with local D1, prepared like a deploy: the Worker is bundled first
 * (`wrangler deploy --dry-run --outdir`), served unbundled from a temp copy of wrangler.toml,
 * the migrations applied with `wrangler d1 migrations apply DB --local` into the run's own
 * `--persist-to` folder, and the env handed over as an `--env-file` (vars and secrets only,
 * as in production). `wrangler dev` reloads on every change to its entry's module graph; the
 * prebuilt bundle keeps a run immune to edits made in the tree meanwhile.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { bin, inheritedEnv, repoRoot, runToCompletion } from "./processes.ts"
import type { Command } from "./processes.ts"

const wranglerEnv = (workDir: string): Record<string, string> => ({
  ...inheritedEnv(),
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_LOG_PATH: join(workDir, "wrangler-logs"),
  CI: "true",
  NO_COLOR: "1",
  FORCE_COLOR: "0"
})

/** The repo's wrangler.toml, pointed at the prebuilt bundle (`no_bundle`) and the repo's migrations. */
const workerConfig = (workDir: string): string => {
  const config = readFileSync(join(repoRoot, "wrangler.toml"), "utf8")
  const replaced = config
    .replace(/^main\s*=.*$/m, `main = ${JSON.stringify(join(workDir, "bundle", "main.js"))}\nno_bundle = true`)
    .replace(
      /^migrations_dir\s*=\s*"([^"]*)"/m,
      (_line, dir: string) => `migrations_dir = ${JSON.stringify(resolve(repoRoot, dir))}`
    )
    // The chunk build wrangler runs first, from the repo wherever this copy sits.
    .replace(/^command\s*=\s*"node ([^"]*)"/m, (_line, script: string) => `command = ${JSON.stringify(`node ${resolve(repoRoot, script)}`)}`)
  if (!replaced.includes("no_bundle = true") || !replaced.includes(repoRoot)) {
    throw new Error("wrangler.toml has no `main` or no `migrations_dir` line to rewrite")
  }
  return replaced
}

const dotenv = (values: Readonly<Record<string, string>>): string =>
  Object.entries(values).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join("\n") + "\n"

export interface WorkerRun {
  readonly entry: string
  readonly workDir: string
  readonly logFile: string
  readonly port: number
  readonly inspectorPort: number
  readonly vars: Readonly<Record<string, string>>
}

/** Bundles, writes the config and the env file, migrates local D1; returns the `wrangler dev` command. */
export const prepareWorker = async (run: WorkerRun): Promise<Command> => {
  const env = wranglerEnv(run.workDir)
  const config = join(run.workDir, "wrangler.toml")
  const state = join(run.workDir, "state")
  const envFile = join(run.workDir, "worker.env")
  writeFileSync(envFile, dotenv(run.vars), { mode: 0o600 })
  await runToCompletion(
    { command: bin("wrangler"), args: ["deploy", run.entry, "--dry-run", "--outdir", join(run.workDir, "bundle")], env },
    run.logFile,
    120_000
  )
  writeFileSync(config, workerConfig(run.workDir))
  await runToCompletion(
    {
      command: bin("wrangler"),
      args: ["d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", state],
      env
    },
    run.logFile,
    60_000
  )
  return {
    command: bin("wrangler"),
    args: [
      "dev",
      "--config",
      config,
      "--ip",
      "127.0.0.1",
      "--port",
      String(run.port),
      // Not the default 9229, which another wrangler (a D1 test, `npm run dev`) may hold.
      "--inspector-port",
      String(run.inspectorPort),
      "--persist-to",
      state,
      "--env-file",
      envFile,
      "--show-interactive-dev-session=false",
      // The cron's handler, reachable at /cdn-cgi/handler/scheduled (workers.test.ts).
      "--test-scheduled",
      // `log`, not `info`: the Worker's own lines (console.log: the kernel's logs, the access
      // log) are at wrangler's `log` level, below `info`.
      "--log-level",
      "log"
    ],
    env
  }
}
