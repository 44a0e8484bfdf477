/**
 * `switchboard workers check`: is this Workers deployment configured to work? It reads the
 * wrangler config and the secrets (see WorkersDeployment.ts), checks them with the same rules the
 * other runtimes apply before they listen (`runtimes/shared/preflight.ts`), adds what only
 * Workers have (the D1 binding, secrets kept out of `[vars]`, where dispatches go) and, with
 * `--url`, asks the running Worker whether it is ready and which providers it has configured.
 * Each finding says how to fix it; exit 1 when one must be fixed.
 */
import { problems } from "../../runtimes/shared/preflight.ts"
import { type Command, parse, text } from "./Command.ts"
import { CliFailure, type Io } from "./Io.ts"
import { parseVaultKeys } from "./Keys.ts"
import { type Deployment, type Live, readDeployment, readLive } from "./WorkersDeployment.ts"

export interface Finding {
  /** `problem`: it will not work until fixed; `note`: works, but read it. */
  readonly level: "ok" | "problem" | "note"
  readonly text: string
}

/** Values a Worker must get as secrets: `[vars]` are shown in the dashboard and sit in git. */
export const SECRET_NAMES: ReadonlyArray<string> = [
  "MCP_SIGNING_KEY",
  "SWITCHBOARD_VAULT_KEYS",
  "SWITCHBOARD_ADMIN_TOKEN",
  "LINEAR_CLIENT_SECRET",
  "LINEAR_WEBHOOK_SECRET",
  "SLACK_CLIENT_SECRET",
  "SLACK_SIGNING_SECRET",
  "GITHUB_APP_PRIVATE_KEY",
  "GITHUB_CLIENT_SECRET",
  "GITHUB_WEBHOOK_SECRET",
  "JIRA_CLIENT_SECRET",
  "JIRA_WEBHOOK_SECRET"
]

/** The secret each provider's deployment-wide webhooks are verified with. */
const WEBHOOK_SECRETS: ReadonlyArray<readonly [string, string]> = [
  ["Linear", "LINEAR_WEBHOOK_SECRET"],
  ["Slack", "SLACK_SIGNING_SECRET"],
  ["GitHub", "GITHUB_WEBHOOK_SECRET"],
  ["Jira", "JIRA_WEBHOOK_SECRET"]
]

const ZERO_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/
const isLoopback = (host: string) => host === "localhost" || host === "[::1]" || /^127\./.test(host)

/** Where a variable is set: as a secret, or in `[vars]`; `wrangler dev` reads both from `.dev.vars`. */
const howToSet = (deployment: Deployment, name: string): string =>
  deployment.local
    ? `add ${name}=... to .dev.vars`
    : SECRET_NAMES.includes(name)
    ? `npx wrangler secret put ${name}`
    : `set ${name} in [vars] of ${deployment.configPath}, then npx wrangler deploy`

/** Same origin, counting localhost and 127.0.0.1 as one (wrangler dev answers on both). */
const sameOrigin = (left: URL, right: URL) =>
  left.protocol === right.protocol && left.port === right.port &&
  (left.hostname === right.hostname || (isLoopback(left.hostname) && isLoopback(right.hostname)))

const settingFindings = (deployment: Deployment): Array<Finding> => {
  const unknownValue = [...deployment.secrets].filter(([, value]) => value === undefined).map(([name]) => name)
  // A deployed secret's value cannot be read back: it counts as set, and its format goes unchecked.
  const env: Record<string, string> = { ...deployment.vars }
  for (const [name, value] of deployment.secrets) env[name] = value ?? "set"
  const lines = problems(env).filter((line) => !unknownValue.some((name) => line.startsWith(`${name} `)))
  const findings: Array<Finding> = lines.map((line) => {
    const name = /^[A-Z_]+/.exec(line)?.[0] ?? ""
    return { level: "problem", text: `${line} → ${howToSet(deployment, name)}` }
  })
  // The kernel checks the vault keys' format only when it builds the vault, on the first request.
  const vaultKeys = env["SWITCHBOARD_VAULT_KEYS"]
  if (vaultKeys !== undefined && !unknownValue.includes("SWITCHBOARD_VAULT_KEYS")) {
    try {
      if (parseVaultKeys(vaultKeys).length === 0) throw new CliFailure("no key")
    } catch (error) {
      findings.push({
        level: "problem",
        text: `SWITCHBOARD_VAULT_KEYS is invalid (${error instanceof Error ? error.message.replace(/^--rotate: /, "") : "unreadable"}): \`id:base64key[,id:base64key]\`, 32-byte AES keys; \`npx switchboard keys generate\` prints one → ${howToSet(deployment, "SWITCHBOARD_VAULT_KEYS")}`
      })
    }
  }
  for (const name of SECRET_NAMES) {
    if (deployment.vars[name] !== undefined) {
      findings.push({ level: "problem", text: `${name} is in [vars], which the dashboard shows and git keeps: remove it there → ${howToSet({ ...deployment, local: false }, name)}` })
    }
  }
  const publicUrl = env["SWITCHBOARD_PUBLIC_URL"]
  if (publicUrl !== undefined && URL.canParse(publicUrl) && !deployment.local && isLoopback(new URL(publicUrl).hostname)) {
    findings.push({
      level: "problem",
      text: `SWITCHBOARD_PUBLIC_URL is ${publicUrl}: OAuth redirects and the MCP URL would point at localhost → set it in [vars] of ${deployment.configPath} to the Worker's URL (npx wrangler deploy prints it), then deploy again`
    })
  }
  if (findings.length === 0) findings.push({ level: "ok", text: "MCP_SIGNING_KEY, SWITCHBOARD_VAULT_KEYS and SWITCHBOARD_PUBLIC_URL are set" })
  if (env["SWITCHBOARD_ADMIN_TOKEN"] === undefined) {
    findings.push({ level: "note", text: `SWITCHBOARD_ADMIN_TOKEN is unset: no tenant administration over HTTP (switchboard tenants create --d1 prints SQL instead) → ${howToSet(deployment, "SWITCHBOARD_ADMIN_TOKEN")}` })
  }
  return findings
}

const databaseFindings = (deployment: Deployment): Array<Finding> => {
  const id = deployment.databaseId
  if (id === null) {
    return [{ level: "problem", text: `No D1 binding named DB in ${deployment.configPath} → add [[d1_databases]] with binding = "DB" and migrations_dir = "adapters/sql/migrations" (see the repository's wrangler.toml)` }]
  }
  if (deployment.local) return [{ level: "ok", text: "D1 binding DB (local D1 under .wrangler/state; npx wrangler d1 migrations apply DB --local)" }]
  if (id === undefined) {
    return [{ level: "problem", text: "The DB binding has no database_id yet → npx wrangler deploy (it creates the D1 database and writes its id into the config), then npx wrangler d1 migrations apply DB --remote" }]
  }
  if (ZERO_ID.test(id)) {
    return [{ level: "problem", text: "database_id is the all-zero placeholder → delete that line and npx wrangler deploy (it creates the database and writes the id), or put in the id npx wrangler d1 create switchboard prints" }]
  }
  return [{ level: "ok", text: `D1 database ${id} bound as DB` }]
}

const sinkFindings = (deployment: Deployment): Array<Finding> => {
  const setting = (name: string) => deployment.vars[name] ?? (deployment.secrets.has(name) ? deployment.secrets.get(name) ?? "(a secret)" : undefined)
  const url = setting("SWITCHBOARD_SESSIONS_URL")
  if (url !== undefined) return [{ level: "ok", text: `Dispatches are POSTed (signed) to ${url}` }]
  const binding = setting("SWITCHBOARD_SESSIONS_BINDING")
  if (binding !== undefined) {
    return deployment.serviceBindings.includes(binding)
      ? [{ level: "ok", text: `Dispatches go through the service binding ${binding}` }]
      : [{ level: "problem", text: `SWITCHBOARD_SESSIONS_BINDING names ${binding}, which is not a [[services]] binding in ${deployment.configPath} → add [[services]] binding = "${binding}" service = "<your agent platform's Worker>"` }]
  }
  return [{
    level: "note",
    text: `Dispatches are only logged: nothing receives them → set SWITCHBOARD_SESSIONS_URL (your agent platform's endpoint) in ${deployment.local ? ".dev.vars" : "[vars]"}, or a [[services]] binding and SWITCHBOARD_SESSIONS_BINDING naming it`
  }]
}

const webhookFindings = (deployment: Deployment): Array<Finding> => {
  const set = (name: string) => deployment.vars[name] !== undefined || deployment.secrets.has(name)
  const missing = WEBHOOK_SECRETS.filter(([, name]) => !set(name))
  if (missing.length === 0) return [{ level: "ok", text: "Webhook secrets of Linear, Slack, GitHub and Jira are set" }]
  return [{
    level: "note",
    text: `No webhook secret for ${missing.map(([vendor]) => vendor).join(", ")}: the deployment's own apps' webhooks are refused (tenants' own apps have theirs) → ${missing.map(([, name]) => howToSet(deployment, name)).join("; ")}`
  }]
}

const liveFindings = (deployment: Deployment, live: Live): Array<Finding> => {
  if ("unreachable" in live.health) {
    return [{ level: "problem", text: `The Worker at ${live.url} does not answer (${live.health.unreachable}) → ${deployment.local ? "is npx wrangler dev running?" : "npx wrangler deploy"}` }]
  }
  const findings: Array<Finding> = []
  if (live.health.status === 200) findings.push({ level: "ok", text: `${live.url}/health answers 200` })
  else {
    findings.push({
      level: "problem",
      text: `${live.url}/health answers ${live.health.status}: the Worker cannot use its settings → ${deployment.local ? "wrangler dev's output" : "npx wrangler tail"} shows why`
    })
  }
  const publicUrl = deployment.vars["SWITCHBOARD_PUBLIC_URL"] ?? deployment.secrets.get("SWITCHBOARD_PUBLIC_URL")
  if (publicUrl !== undefined && URL.canParse(publicUrl) && URL.canParse(live.url) && !sameOrigin(new URL(publicUrl), new URL(live.url))) {
    findings.push({ level: "problem", text: `SWITCHBOARD_PUBLIC_URL is ${publicUrl}, but the Worker answers at ${live.url} → ${howToSet(deployment, "SWITCHBOARD_PUBLIC_URL")}` })
  }
  for (const integration of live.integrations ?? []) {
    findings.push(integration.configured
      ? { level: "ok", text: `${integration.displayName} can be installed` }
      : {
        level: "note",
        text: `${integration.displayName} is not configured (the Console says so) → ${integration.needs.map((name) => howToSet(deployment, name)).join("; ") || "see the README's Configuration"}`
      })
  }
  return findings
}

export const checkDeployment = (deployment: Deployment, live: Live | undefined): ReadonlyArray<Finding> => [
  ...settingFindings(deployment),
  ...databaseFindings(deployment),
  ...sinkFindings(deployment),
  ...webhookFindings(deployment),
  ...(live === undefined ? [] : liveFindings(deployment, live))
]

const help = `Usage: switchboard workers check [options]

Checks a Cloudflare Workers deployment of Switchboard: wrangler.toml's [vars] and D1 binding, the
secrets that are set, where dispatches go, and (with --url) what the running Worker answers.
Prints each finding with how to fix it; exits 1 when something must be fixed.

Options:
  --config <file>     the wrangler config (default ./wrangler.toml)
  --local             as wrangler dev runs it: secrets from .dev.vars (values checked too);
                      without it, the deployed Worker's secret names (wrangler secret list;
                      needs npx wrangler login)
  --env-file <file>   with --local: the env file wrangler dev reads (default .dev.vars)
  --url <url>         the running Worker: its /health and which providers it has configured
  --wait <seconds>    wait up to this long for --url to answer (default 0)

Examples:
  switchboard workers check --local --url http://localhost:8787
  switchboard workers check --url https://switchboard.example.workers.dev`

const options = {
  config: { type: "string" },
  local: { type: "boolean" },
  "env-file": { type: "string", multiple: true },
  url: { type: "string" },
  wait: { type: "string" }
} as const

const mark = { ok: "✓", problem: "✗", note: "!" } as const

export const workersCheck: Command = {
  words: ["workers", "check"],
  summary: "check a Cloudflare Workers deployment's settings and say what is missing",
  help,
  run: async (args, io: Io) => {
    const { values } = parse("workers check", args, options)
    const wait = Number(text(values.wait) ?? "0")
    if (!Number.isFinite(wait) || wait < 0) throw new CliFailure(`--wait is a number of seconds, not ${values.wait}`)
    const deployment = await readDeployment(io, {
      config: text(values.config),
      local: values.local === true,
      envFiles: values["env-file"] ?? []
    })
    const url = text(values.url)?.replace(/\/+$/, "")
    const live = url === undefined ? undefined : await readLive(io, url, wait * 1000)
    const findings = checkDeployment(deployment, live)
    for (const finding of findings) io.out(`${mark[finding.level]} ${finding.text}`)
    const count = findings.filter((finding) => finding.level === "problem").length
    if (count > 0) throw new CliFailure(`${count} ${count === 1 ? "thing needs" : "things need"} fixing before this Worker works (✗ above)`)
    io.err(`✓ ${deployment.local ? "wrangler dev" : "The deployment"} is configured${url === undefined ? " (add --url to ask the running Worker too)" : ""}`)
  }
}
