/**
 * `switchboard simulate <provider> [event]`: sends a correctly signed sample webhook to a running
 * Switchboard (dev command, any runtime, Workers under wrangler dev), so the whole loop can be
 * tried without a tunnel. Events and signing come from the sandbox table. When the instance has
 * a sandbox (`GET /_sandbox`), the event names a fresh issue in its fake, so the agent's tools
 * find it; with an API key, the command then follows the delivery and shows the agent's work.
 */
import { Schema } from "effect"
import { findEvent, type SandboxAdapter, type SimulatedWebhook } from "../../sandbox/dev/Sandbox.ts"
import { sandboxAdapter, sandboxAdapters } from "../../sandbox/dev/SandboxAdapters.ts"
import { type Command, parse, text } from "./Command.ts"
import { devData, instanceUrl } from "./DevData.ts"
import { CliFailure, done, type Io, step } from "./Io.ts"

const help = `Usage: switchboard simulate <provider> [event] [options]

Sends a signed sample webhook of <provider> to a running Switchboard, as the vendor would.

Options:
  --url <url>          Switchboard's base URL (default $SWITCHBOARD_URL or http://localhost:8787)
  --secret <secret>    the provider's webhook signing secret (default: its env variable, such as
                       LINEAR_WEBHOOK_SECRET, or the dev command's .data/dev.json)
  --sandbox <url>      the provider's fake to create the sample issue in (default: ask the
                       instance's /_sandbox); --no-sandbox sends fixed sample ids instead
  --api-key <key>      follow the delivery with this tenant key (default $SWITCHBOARD_API_KEY or
                       the dev command's demo key); --no-wait does not follow it
  --timeout <seconds>  how long to follow the delivery (default 20)
  --data-dir <dir>     the dev command's data folder (default $SWITCHBOARD_DEV_DATA or .data)
  --list               list the providers and events that can be simulated

Examples:
  switchboard simulate linear agent-session
  switchboard simulate linear assigned --url http://127.0.0.1:8787 --secret "$LINEAR_WEBHOOK_SECRET"`

const options = {
  url: { type: "string" },
  secret: { type: "string" },
  sandbox: { type: "string" },
  "no-sandbox": { type: "boolean" },
  "api-key": { type: "string" },
  "no-wait": { type: "boolean" },
  timeout: { type: "string" },
  "data-dir": { type: "string" },
  list: { type: "boolean" }
} as const

const SandboxInfo = Schema.Struct({ providers: Schema.Array(Schema.Struct({ id: Schema.String, url: Schema.String })) })
const Dispatches = Schema.Array(Schema.Struct({
  agentId: Schema.String,
  status: Schema.String,
  attempts: Schema.Number,
  lastError: Schema.NullOr(Schema.String)
}))
const Deliveries = Schema.Struct({
  deliveries: Schema.Array(Schema.Struct({
    event: Schema.Struct({ deliveryId: Schema.String, status: Schema.String, reason: Schema.NullOr(Schema.String) }),
    dispatches: Dispatches
  }))
})
const Answer = Schema.Struct({ error: Schema.Struct({ reason: Schema.String, message: Schema.String }) })

const listEvents = (io: Io) => {
  for (const adapter of sandboxAdapters) {
    io.out(`${adapter.providerId}`)
    for (const event of adapter.events) io.out(`  ${event.name.padEnd(16)}${event.description}`)
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const getJson = async <A>(io: Io, url: string, schema: Schema.Codec<A, unknown>, apiKey?: string): Promise<A | undefined> => {
  try {
    const response = await io.fetch(url, {
      headers: apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(5_000)
    })
    if (!response.ok) return undefined
    return Schema.decodeUnknownOption(schema)(await response.json()).pipe((option) => option._tag === "Some" ? option.value : undefined)
  } catch {
    return undefined
  }
}

/** `--secret`, the provider's env variable, or the dev command's; the event says if it needs one. */
const webhookSecret = (io: Io, adapter: SandboxAdapter, flag: string | undefined, dataDir: string | undefined) =>
  flag ?? io.env[adapter.webhookSecretEnv] ?? devData(io, dataDir).env[adapter.webhookSecretEnv]

const fakeUrlOf = async (io: Io, url: string, adapter: SandboxAdapter, flags: { sandbox?: string; noSandbox: boolean }) => {
  if (flags.noSandbox) return undefined
  if (flags.sandbox !== undefined) return flags.sandbox.replace(/\/+$/, "")
  const info = await getJson(io, `${url}/_sandbox`, SandboxInfo)
  return info?.providers.find((provider) => provider.id === adapter.providerId)?.url
}

const send = async (io: Io, url: string, webhook: SimulatedWebhook): Promise<void> => {
  step(io, `POST ${url}${webhook.path} (delivery ${webhook.deliveryId})`)
  const response = await io.fetch(`${url}${webhook.path}`, { method: "POST", headers: webhook.headers, body: webhook.body }).catch(
    (cause: unknown) => {
      throw new CliFailure(
        `Cannot reach Switchboard at ${url} (${cause instanceof Error ? cause.message : String(cause)}). Is it running? Try: npm run dev`
      )
    }
  )
  const body = await response.text()
  if (response.ok) {
    const duplicate = body.includes("\"duplicate\"")
    done(io, `Switchboard ${duplicate ? "already had" : "accepted"} ${webhook.summary} (${response.status})`)
    return
  }
  const error = Schema.decodeUnknownOption(Schema.fromJsonString(Answer))(body)
  const detail = error._tag === "Some" ? `${error.value.error.reason}: ${error.value.error.message}` : body.slice(0, 200)
  const hint = response.status === 401
    ? " The signature did not verify: the secret must be the instance's webhook secret."
    : response.status === 404
    ? " Is that provider registered on this instance?"
    : ""
  throw new CliFailure(`Switchboard answered ${response.status} (${detail}).${hint}`)
}

interface FollowOptions {
  readonly url: string
  readonly apiKey: string
  readonly deliveryId: string
  readonly timeoutMs: number
}

/** Polls the deliveries until this one is decided and its dispatches are done (or time runs out). */
const follow = async (io: Io, options: FollowOptions): Promise<boolean> => {
  const started = Date.now()
  const deadline = started + options.timeoutMs
  let last = ""
  while (Date.now() < deadline) {
    const listed = await getJson(io, `${options.url}/v1/deliveries?limit=50`, Deliveries, options.apiKey)
    if (listed === undefined) {
      step(io, "Could not read /v1/deliveries with that API key; not following the delivery")
      return true
    }
    const delivery = listed.deliveries.find((entry) => entry.event.deliveryId === options.deliveryId)
    if (delivery === undefined && Date.now() - started > 4_000) {
      // Stored, but not for this tenant: no installation of it matches the event's workspace.
      throw new CliFailure(
        "Switchboard stored the webhook, but not for this API key's tenant: no installation of it matches the event's " +
          "workspace. Install the provider first (the Console's Integrations), then simulate again."
      )
    }
    if (delivery !== undefined) {
      const dispatches = delivery.dispatches.map((dispatch) =>
        `${dispatch.agentId} ${dispatch.status}${dispatch.lastError === null ? "" : ` (${dispatch.lastError})`}`
      )
      const line = `Delivery ${delivery.event.status}${delivery.event.reason === null ? "" : `: ${delivery.event.reason}`}${
        dispatches.length === 0 ? "" : `; dispatch to ${dispatches.join(", ")}`
      }`
      if (line !== last) step(io, line)
      last = line
      const settled = delivery.event.status === "ignored" || delivery.event.status === "failed" ||
        (delivery.event.status === "dispatched" && delivery.dispatches.every((dispatch) => dispatch.status !== "pending"))
      if (settled) return delivery.dispatches.every((dispatch) => dispatch.status === "delivered") && delivery.event.status !== "failed"
    }
    await sleep(500)
  }
  step(io, `Still in progress after ${Math.round(options.timeoutMs / 1000)} s; see the Console's Deliveries`)
  return true
}

const showActivity = async (io: Io, fakeUrl: string, adapter: SandboxAdapter, webhook: SimulatedWebhook) => {
  if (webhook.subject === null) return
  const activity = await adapter.activity(fakeUrl, webhook.subject.id).catch(() => [])
  for (const entry of activity) io.out(`${adapter.displayName} ${webhook.subject.label}: ${entry.author}: ${entry.body}`)
}

export const simulate: Command = {
  words: ["simulate"],
  summary: "send a correctly signed sample webhook to a running instance",
  help,
  run: async (args, io) => {
    const { values, positionals } = parse("simulate", args, options)
    if (values.list === true) return listEvents(io)
    const [providerId, eventName] = positionals
    if (providerId === undefined) throw new CliFailure(`Name a provider: ${sandboxAdapters.map((entry) => entry.providerId).join(", ")}\nSee: switchboard simulate --help`)
    const adapter = sandboxAdapter(providerId)
    if (adapter === undefined) {
      throw new CliFailure(`No sample events for "${providerId}"; known: ${sandboxAdapters.map((entry) => entry.providerId).join(", ")}`)
    }
    const event = findEvent(adapter, eventName)
    if (event === undefined) {
      throw new CliFailure(`${adapter.displayName} has no sample event "${eventName}"; try: ${adapter.events.map((entry) => entry.name).join(", ")}`)
    }
    const dataDir = text(values["data-dir"])
    const url = instanceUrl(io, text(values.url))
    const secret = webhookSecret(io, adapter, text(values.secret), dataDir)
    const fakeUrl = await fakeUrlOf(io, url, adapter, { ...(text(values.sandbox) === undefined ? {} : { sandbox: text(values.sandbox)! }), noSandbox: values["no-sandbox"] === true })
    step(io, fakeUrl === undefined
      ? `No ${adapter.displayName} sandbox in use: the event names sample ids`
      : `Creating the sample in the ${adapter.displayName} sandbox at ${fakeUrl}`)
    const webhook = await event.build({ env: secret === undefined ? {} : { [adapter.webhookSecretEnv]: secret }, fakeUrl }).catch((cause: unknown) => {
      throw new CliFailure(cause instanceof Error ? cause.message : String(cause))
    })
    step(io, `Signed ${webhook.summary}`)
    await send(io, url, webhook)
    io.out(webhook.deliveryId)

    const apiKey = text(values["api-key"]) ?? io.env["SWITCHBOARD_API_KEY"] ?? devData(io, dataDir).apiKey
    if (values["no-wait"] === true || apiKey === undefined) return
    const seconds = Number(text(values.timeout) ?? "20")
    if (!Number.isFinite(seconds) || seconds < 0) throw new CliFailure(`--timeout must be a number of seconds, not ${values.timeout}`)
    const succeeded = await follow(io, { url, apiKey, deliveryId: webhook.deliveryId, timeoutMs: seconds * 1000 })
    if (fakeUrl !== undefined) await showActivity(io, fakeUrl, adapter, webhook)
    if (!succeeded) throw new CliFailure("The delivery did not reach the agent; see its error above or in the Console's Deliveries")
  }
}
