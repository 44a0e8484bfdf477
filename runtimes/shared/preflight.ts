/**
 * The long-running runtimes' (Bun, Deno, Node) check before listening: every kernel setting read
 * through Effect Config, one by one so that all bad ones are reported together, plus what only
 * these entrypoints require (SWITCHBOARD_PUBLIC_URL, a valid PORT). On failure one message lists
 * each variable with how to set it, and the process exits 1 without listening: a server that
 * listens and answers 503 looks alive to a supervisor and to the person who started it.
 * Workers keep the kernel's own behaviour (503 "not ready", the cause logged).
 */
import { Cause, Config, ConfigProvider, Effect, Exit, Option } from "effect"
// The global `process`, not an import of node:process: see ./server.ts.
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import { databaseProblems } from "./databaseSettings.ts"
import { stringEntries } from "./dependencies.ts"

const GENERATE = "`npx switchboard keys generate` prints one"

/** Each kernel setting's variable and how a person sets it; keyed like `KernelConfig.fields`, so a new field needs a line. */
const settings: { readonly [K in keyof typeof KernelConfig.fields]: { readonly env: string; readonly how: string } } = {
  publicUrl: { env: "SWITCHBOARD_PUBLIC_URL", how: "the http(s) URL vendors and agents reach this server at, e.g. https://switchboard.example.com" },
  signingKey: { env: "MCP_SIGNING_KEY", how: `32+ random bytes; ${GENERATE}` },
  vaultKeys: { env: "SWITCHBOARD_VAULT_KEYS", how: `\`id:base64key[,id:base64key]\`, 32-byte AES keys; ${GENERATE}` },
  adminToken: { env: "SWITCHBOARD_ADMIN_TOKEN", how: `optional; 32+ characters with 10 distinct ones; ${GENERATE}` },
  returnUrls: { env: "SWITCHBOARD_RETURN_URLS", how: "comma-separated origins, e.g. https://app.example.com" },
  maxBodyBytes: { env: "SWITCHBOARD_MAX_BODY_BYTES", how: "a whole number of bytes (default 1048576)" },
  maxRequestBytes: { env: "SWITCHBOARD_MAX_REQUEST_BYTES", how: "a whole number of bytes (default 65536)" },
  webhooksPerMinute: { env: "SWITCHBOARD_WEBHOOKS_PER_MINUTE", how: "a whole number (default 6000; 0 = no limit)" },
  toolCallsPerMinute: { env: "SWITCHBOARD_TOOL_CALLS_PER_MINUTE", how: "a whole number (default 1200; 0 = no limit)" },
  authFailuresPerMinute: { env: "SWITCHBOARD_AUTH_FAILURES_PER_MINUTE", how: "a whole number (default 30; 0 = no limit)" },
  clientIpHeader: { env: "SWITCHBOARD_CLIENT_IP_HEADER", how: "a header name, e.g. x-real-ip, or unset" },
  sinkTimeout: { env: "SWITCHBOARD_SESSIONS_TIMEOUT", how: "a duration, e.g. `30 seconds` (the default)" },
  dispatchConcurrency: { env: "SWITCHBOARD_DISPATCH_CONCURRENCY", how: "a whole number from 1 to 1024 (default 64)" },
  mcpAllowedHosts: { env: "SWITCHBOARD_MCP_ALLOWED_HOSTS", how: "comma-separated hostnames" },
  mcpAllowedOrigins: { env: "SWITCHBOARD_MCP_ALLOWED_ORIGINS", how: "comma-separated origins" },
  accessLog: { env: "SWITCHBOARD_ACCESS_LOG", how: "`on` (the default), `errors` (answers of 400 and above) or `off`" },
  outboxStuckAfter: { env: "SWITCHBOARD_OUTBOX_STUCK_AFTER", how: "a duration, e.g. `15 minutes` (the default)" },
  retentionDays: { env: "SWITCHBOARD_RETENTION_DAYS", how: "a whole number of days, e.g. 30 (default 0: keep every event's body)" }
}

/** Variables the kernel would default but these entrypoints refuse to run without. */
const requiredHere: ReadonlyArray<keyof typeof settings> = ["publicUrl", "signingKey", "vaultKeys"]

const isBlank = (value: string | undefined) => value === undefined || value.trim().length === 0

/** Why a value failed its Config, in the Config's own words, without the error class around them. */
const reason = (cause: Cause.Cause<unknown>): string => {
  const error = Option.getOrUndefined(Cause.findErrorOption(cause))
  const text = error instanceof Config.ConfigError ? error.message : Cause.pretty(cause)
  const first = text.split("\n")[0] ?? text
  return first.replace(/^SourceError: /, "").replace(/^SchemaError\((.*)\)?$/, "$1").replace(/[.)]+$/, "")
}

const parses = <A>(config: Config.Config<A>, provider: ConfigProvider.ConfigProvider) =>
  Effect.runSyncExit(config.parse(provider))

const isHttpUrl = (value: string) => /^https?:$/.test(URL.canParse(value) ? new URL(value).protocol : "")

const isBadPort = (port: string | undefined) => port !== undefined && !/^\d+$/.test(port) || Number(port ?? 0) > 65535

/** One line per missing or invalid variable; empty when the settings are usable. */
export const problems = (rawEnv: Readonly<Record<string, unknown>>): ReadonlyArray<string> => {
  const env = stringEntries(rawEnv)
  const provider = ConfigProvider.fromEnvRecord(env)
  const lines: Array<string> = []
  for (const key of Object.keys(settings) as Array<keyof typeof settings>) {
    const { env: name, how } = settings[key]
    const value = env[name]
    if (requiredHere.includes(key) && isBlank(value)) {
      lines.push(`${name} is missing: ${how}`)
      continue
    }
    const exit = parses<unknown>(KernelConfig.fields[key], provider)
    if (Exit.isFailure(exit)) {
      const why = reason(exit.cause)
      // A check that names the variable itself (the admin token's) says it best as it is.
      lines.push(why.startsWith(`${name} `) ? why : `${name} is invalid (${why}): ${how}`)
      continue
    }
    if (key === "publicUrl" && value !== undefined && !isHttpUrl(value)) {
      lines.push(`${name} is invalid (${JSON.stringify(value)} is not an http(s) URL): ${how}`)
    }
  }
  lines.push(...databaseProblems(env))
  const port = env["PORT"]
  if (isBadPort(port)) {
    lines.push(`PORT is invalid (${JSON.stringify(port)}): a port number, 0 to 65535 (default 8787)`)
  }
  return lines
}

/**
 * The kernel's settings when every setting is usable, else `problems`' lines. The usual case
 * costs one read of the whole config (which the runtime then provides as it is, instead of the
 * kernel reading it again); only a failure is read again variable by variable, for the lines.
 */
export const check = (
  rawEnv: Readonly<Record<string, unknown>>
): { readonly config: KernelConfig["Service"] } | { readonly problems: ReadonlyArray<string> } => {
  const env = stringEntries(rawEnv)
  const whole = parses(KernelConfig.config, ConfigProvider.fromEnvRecord(env))
  const publicUrl = env[settings.publicUrl.env]
  const usable = Exit.isSuccess(whole) &&
    requiredHere.every((key) => !isBlank(env[settings[key].env])) &&
    (publicUrl === undefined || isHttpUrl(publicUrl)) &&
    databaseProblems(env).length === 0 &&
    !isBadPort(env["PORT"])
  return usable ? { config: KernelConfig.fromRaw(whole.value) } : { problems: problems(rawEnv) }
}

/** The message for a person: what is wrong, then where settings go. */
export const message = (runtime: string, lines: ReadonlyArray<string>): string =>
  [
    `switchboard (${runtime}) cannot start: ${lines.length === 1 ? "1 setting needs" : `${lines.length} settings need`} attention`,
    ...lines.map((line) => `  - ${line}`),
    "Set them in the environment (see Configuration in the README) and start again."
  ].join("\n")

/**
 * Exits 1 with the message when a setting is missing or invalid; when all are usable, returns
 * the kernel's settings (for `runtimeDependencies`' `config`, so they are read once).
 */
export const preflight = (runtime: string, env: Readonly<Record<string, unknown>>): KernelConfig["Service"] => {
  const checked = check(env)
  if ("config" in checked) return checked.config
  console.error(message(runtime, checked.problems))
  return process.exit(1)
}
