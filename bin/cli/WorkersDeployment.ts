/**
 * What `switchboard workers check` reads about a Workers deployment before judging it: the
 * wrangler config (read by wrangler's own reader, so wrangler.toml and wrangler.jsonc mean what
 * they mean to `wrangler deploy`), the secrets (locally: the `.dev.vars` values; deployed: the
 * names `wrangler secret list` reports, never their values) and, with `--url`, what the running
 * Worker answers on `/health` and `/v1/integrations`.
 */
import { spawn } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, resolve } from "node:path"
import { parseEnv } from "node:util"
import { Schema } from "effect"
import { CliFailure, type Io, step } from "./Io.ts"

export interface Deployment {
  readonly configPath: string
  /** `[vars]`, as strings (wrangler hands non-string vars to the Worker as JSON). */
  readonly vars: Readonly<Record<string, string>>
  /** Secret names; the value when it is known (`.dev.vars`), undefined for a deployed secret. */
  readonly secrets: ReadonlyMap<string, string | undefined>
  /** The `DB` D1 binding's database id (undefined: not created yet); null: no `DB` binding. */
  readonly databaseId: string | undefined | null
  /** Names of the `[[services]]` bindings. */
  readonly serviceBindings: ReadonlyArray<string>
  /** Checked as `wrangler dev` runs it (`.dev.vars`), or as deployed (`wrangler secret list`). */
  readonly local: boolean
}

/** What the running Worker answered; undefined fields: not asked (no `--url`) or unreachable. */
export interface Live {
  readonly url: string
  readonly health: { readonly status: number } | { readonly unreachable: string }
  readonly integrations: ReadonlyArray<typeof Integration.Type> | undefined
}

export const Integration = Schema.Struct({
  id: Schema.String,
  displayName: Schema.String,
  configured: Schema.Boolean,
  needs: Schema.Array(Schema.String)
})
const Integrations = Schema.Struct({ integrations: Schema.Array(Integration) })
const SecretList = Schema.Array(Schema.Struct({ name: Schema.String }))
/** The part of wrangler's resolved config this check reads (its own types are not exported whole). */
const WranglerConfig = Schema.Struct({
  vars: Schema.Record(Schema.String, Schema.Unknown),
  d1_databases: Schema.Array(Schema.Struct({ binding: Schema.String, database_id: Schema.optional(Schema.String) })),
  services: Schema.optional(Schema.Array(Schema.Struct({ binding: Schema.String })))
})

const requireHere = createRequire(import.meta.url)

/** wrangler's own config reader; wrangler is what deploys the Worker, so it is there to ask. */
const loadWrangler = async () => {
  try {
    return await import("wrangler")
  } catch {
    throw new CliFailure("wrangler is not installed here: npm install --save-dev wrangler (it deploys the Worker too)")
  }
}

const asString = (value: unknown): string => typeof value === "string" ? value : JSON.stringify(value)

/** `wrangler secret list --format json`: the deployed Worker's secret names (needs `wrangler login`). */
const deployedSecretNames = (io: Io, configPath: string): Promise<ReadonlyArray<string>> =>
  new Promise((resolveNames, reject) => {
    const wrangler = join(dirname(requireHere.resolve("wrangler/package.json")), "bin", "wrangler.js")
    step(io, `npx wrangler secret list --config ${configPath}`)
    const child = spawn(process.execPath, [wrangler, "secret", "list", "--format", "json", "--config", configPath], {
      cwd: io.cwd,
      env: { ...io.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
    child.once("error", reject)
    child.once("close", (status) => {
      const list = Schema.decodeUnknownOption(Schema.fromJsonString(SecretList))(stdout.slice(Math.max(0, stdout.indexOf("["))))
      if (status === 0 && list._tag === "Some") return resolveNames(list.value.map((entry) => entry.name))
      // wrangler ends with where it wrote its log; the lines before say what went wrong.
      const why = (stderr || stdout).replace(/\u001b\[[0-9;]*m/g, "").split("\n").map((line) => line.trim())
        .filter((line) => line.length > 0 && !line.includes("Logs were written")).slice(-2).join(" ")
      reject(new CliFailure(`wrangler secret list failed (${why || `exit ${status}`}). Logged in? npx wrangler login; deployed once? npx wrangler deploy`))
    })
  })

export interface ReadOptions {
  readonly config: string | undefined
  readonly local: boolean
  /** Local: the env files `wrangler dev` would read (default `.dev.vars` beside the config). */
  readonly envFiles: ReadonlyArray<string>
}

export const readDeployment = async (io: Io, options: ReadOptions): Promise<Deployment> => {
  const configPath = resolve(io.cwd, options.config ?? "wrangler.toml")
  if (!existsSync(configPath)) throw new CliFailure(`No ${configPath}: run this where your wrangler.toml is, or pass --config`)
  const wrangler = await loadWrangler()
  const config = Schema.decodeUnknownSync(WranglerConfig)(wrangler.unstable_readConfig({ config: configPath }, { hideWarnings: true }))
  const vars = Object.fromEntries(Object.entries(config.vars).map(([name, value]) => [name, asString(value)]))
  const database = config.d1_databases.find((entry) => entry.binding === "DB")
  const secrets = new Map<string, string | undefined>()
  if (options.local) {
    const files = options.envFiles.length > 0 ? options.envFiles.map((file) => resolve(io.cwd, file)) : [join(dirname(configPath), ".dev.vars")]
    for (const file of files) {
      if (!existsSync(file)) continue
      for (const [name, value] of Object.entries(parseEnv(readFileSync(file, "utf8")))) secrets.set(name, value)
    }
  } else {
    for (const name of await deployedSecretNames(io, configPath)) secrets.set(name, undefined)
  }
  return {
    configPath,
    vars,
    secrets,
    databaseId: database === undefined ? null : database.database_id,
    serviceBindings: config.services?.map((service) => service.binding) ?? [],
    local: options.local
  }
}

/** `/health` and `/v1/integrations` of the running Worker; waits up to `waitMs` for it to answer. */
export const readLive = async (io: Io, url: string, waitMs: number): Promise<Live> => {
  const deadline = Date.now() + waitMs
  step(io, `GET ${url}/health`)
  let health: Live["health"] = { unreachable: "not asked" }
  while (true) {
    try {
      const response = await io.fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) })
      await response.body?.cancel()
      health = { status: response.status }
      break
    } catch (cause) {
      health = { unreachable: cause instanceof Error ? cause.message : String(cause) }
      if (Date.now() >= deadline) break
      await new Promise((resolveSleep) => setTimeout(resolveSleep, 500))
    }
  }
  if ("unreachable" in health) return { url, health, integrations: undefined }
  step(io, `GET ${url}/v1/integrations`)
  const answer = await io.fetch(`${url}/v1/integrations`, { signal: AbortSignal.timeout(10_000) }).then((response) => response.text()).catch(() => "")
  const decoded = Schema.decodeUnknownOption(Schema.fromJsonString(Integrations))(answer)
  return { url, health, integrations: decoded._tag === "Some" ? decoded.value.integrations : undefined }
}
