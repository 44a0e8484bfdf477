/**
 * The kernel as one value. `Kernel.layer` is what another Effect app embeds; `Kernel.makeApp`
 * turns the kernel plus its dependencies into a web-standard handler that every runtime serves.
 *
 * STUB: the services are being written; this file fixes the public shape first.
 */
import { Layer } from "effect"
import type { HttpClient } from "effect/http"
import type { SessionSink } from "./dispatch/SessionSink.ts"
import type { KernelConfig } from "./KernelConfig.ts"
import type { Registry } from "./registry/Registry.ts"
import type {
  InstallationStore,
  OAuthStateStore,
  OutboxStore,
  PublicationStore,
  SessionBindingStore,
  TenantStore,
  WebhookEventStore
} from "./store/index.ts"

/** Everything the kernel needs from outside: providers, storage, a sink, HTTP and config. */
export type KernelDependencies =
  | Registry
  | KernelConfig
  | SessionSink
  | HttpClient.HttpClient
  | TenantStore
  | InstallationStore
  | OAuthStateStore
  | PublicationStore
  | WebhookEventStore
  | SessionBindingStore
  | OutboxStore

export interface KernelApp {
  /** Serves one request. On Workers pass `ctx.waitUntil` so work after the response survives. */
  readonly fetch: (request: Request, waitUntil?: (promise: Promise<unknown>) => void) => Promise<Response>
  /** Delivers what is due in the outbox and decides stored-but-undecided events (Workers cron). */
  readonly drain: () => Promise<void>
  readonly dispose: () => Promise<void>
}

export interface MakeAppOptions {
  /** Run an in-process outbox poller (Bun, Deno, Node). Workers use `drain` from a cron instead. */
  readonly poller: boolean
}

export const makeApp = <E>(dependencies: Layer.Layer<KernelDependencies, E>, options: MakeAppOptions): KernelApp => {
  void dependencies
  void options
  return {
    fetch: async () => new Response(JSON.stringify({ error: "starting" }), { status: 503 }),
    drain: async () => {},
    dispose: async () => {}
  }
}

export { Layer }
