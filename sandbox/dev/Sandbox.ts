/**
 * The sandbox: what `npm run dev`, the Console's "Simulate" button and `switchboard simulate`
 * need to know about each provider to run the whole loop offline. One `SandboxAdapter` per
 * provider says:
 *
 * - which secrets the dev command generates once (client id and secret, webhook secret);
 * - how to build the provider's local fake (its API and OAuth consent page) and which env points
 *   the provider at it;
 * - which webhook events can be simulated, each built and signed exactly as the vendor would;
 * - what the agent left behind in the fake (the comments on an issue ...), for the Console;
 * - what the demo agent does on a dispatch: one read tool, then one write tool.
 *
 * Runtime-neutral (Web APIs only), like the fakes: serving and persisting belong to the runtime.
 * Test tooling: never deploy a fake.
 */
import type { SessionDispatch } from "../../kernel/domain/SessionDispatch.ts"
import { randomBase64 } from "../../kernel/encoding/Encoding.ts"

/** A provider's fake, as the dev command serves it, with its state kept across restarts. */
export interface SandboxFake {
  readonly handler: (request: Request) => Promise<Response>
  /** The fake's state as JSON. */
  readonly snapshot: () => string
  /** Puts back a `snapshot` taken by an earlier run; unknown or stale fields are ignored. */
  readonly restore: (snapshot: string) => void | Promise<void>
}

export interface SandboxSettings {
  /** Switchboard's public URL: the OAuth redirect URIs the fake accepts point back at it. */
  readonly publicUrl: string
  /** The env Switchboard runs with (the provider's client id and secret ...). */
  readonly env: Readonly<Record<string, string>>
}

/** A webhook delivery ready to POST to Switchboard, signed as the vendor signs it. */
export interface SimulatedWebhook {
  /** `/webhook/<provider>` */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly deliveryId: string
  /** One line for people: "AgentSessionEvent.created on ENG-3 (Checkout times out)". */
  readonly summary: string
  /** What the agent should act on, to look at its work in the fake afterwards (an issue ...). */
  readonly subject: { readonly id: string; readonly label: string } | null
}

export interface SimulateInput {
  /**
   * The env with the provider's webhook secret (LINEAR_WEBHOOK_SECRET ...), if known; an event
   * that needs it and has none fails with a message saying where to find it.
   */
  readonly env: Readonly<Record<string, string | undefined>>
  /**
   * The running fake, if any: the event then refers to things that exist in it (a fresh issue,
   * an open agent session), so the agent's tools find them. Without it, fixed sample ids.
   */
  readonly fakeUrl: string | undefined
}

export interface SandboxEvent {
  readonly name: string
  readonly description: string
  readonly build: (input: SimulateInput) => Promise<SimulatedWebhook>
}

/** Something in the fake the agent (or anyone) wrote about a subject, newest last. */
export interface SandboxActivity {
  readonly author: string
  readonly body: string
  readonly at: string
  /** Whether the app (the agent) wrote it. */
  readonly byAgent: boolean
}

/** One tool call of the demo agent. */
export interface DemoStep {
  readonly tool: string
  readonly arguments: Readonly<Record<string, unknown>>
}

/** What the demo agent does with a dispatch of this provider: read something, then answer. */
export interface DemoPlan {
  readonly read: (dispatch: SessionDispatch) => DemoStep | undefined
  /** `read` is the read tool's structured result (or its text when it had none). */
  readonly write: (dispatch: SessionDispatch, read: unknown) => DemoStep | undefined
}

export interface SandboxAdapter {
  readonly providerId: string
  readonly displayName: string
  /** Fresh secrets for a new dev setup: generated on first start, then kept in the data folder. */
  readonly generateSecrets: () => Record<string, string>
  /** The env that points the provider at its fake served at `fakeUrl`. */
  readonly env: (fakeUrl: string) => Record<string, string>
  /** The env variable holding the webhook signing secret (what `simulate` signs with, unless the fake knows better). */
  readonly webhookSecretEnv: string
  readonly makeFake: (settings: SandboxSettings) => SandboxFake
  /** The first is the default. */
  readonly events: ReadonlyArray<SandboxEvent>
  /** What was written about `subjectId` in the fake (an issue's comments ...), over its HTTP controls. */
  readonly activity: (fakeUrl: string, subjectId: string) => Promise<ReadonlyArray<SandboxActivity>>
  readonly demo: DemoPlan
}

export const randomSecret = (bytes = 24): string => randomBase64(bytes).replace(/[+/=]/g, "")

export const findEvent = (adapter: SandboxAdapter, name: string | undefined): SandboxEvent | undefined =>
  name === undefined ? adapter.events[0] : adapter.events.find((event) => event.name === name)

/** Reads JSON from a fake's control route; a clear error when the fake is not there. */
/** The secret to sign with, or a clear error naming where it comes from. */
export const requireSecret = (env: SimulateInput["env"], name: string): string => {
  const secret = env[name]?.split(",")[0]?.trim()
  if (secret === undefined || secret.length === 0) {
    throw new Error(`${name} is not set: pass --secret, or run against \`npm run dev\` (its secrets are in .data/dev.json)`)
  }
  // During a rotation the env lists several secrets; vendors sign with the newest, the first.
  return secret
}

export const fakeJson = async (url: string, init?: RequestInit): Promise<unknown> => {
  const response = await fetch(url, init).catch((cause: unknown) => {
    throw new Error(`the sandbox at ${new URL(url).origin} cannot be reached (${cause instanceof Error ? cause.message : String(cause)})`)
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`the sandbox answered ${response.status} to ${new URL(url).pathname}: ${text.slice(0, 200)}`)
  return JSON.parse(text)
}
