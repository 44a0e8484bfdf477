/**
 * What `runProviderKit` needs to know about a provider, and what it needs of the test runtime.
 *
 * The kit itself is runtime neutral (it lives under providers/): serving a fake on a port and
 * running the kernel in-process over SQLite are the harness's job (`test/support/kit/` binds
 * them for Node), so the same suite could run wherever a harness exists.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import type { ToolError } from "../../kernel/domain/Errors.ts"
import type { Granularity } from "../../kernel/domain/Publication.ts"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import type { ProviderFactory } from "../../kernel/provider/Provider.ts"
import type { SignedWebhook } from "./Signing.ts"
import type { ProbeContext } from "./ToolProbe.ts"

export type WebHandler = (request: Request) => Promise<Response>

export interface KitServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string
  readonly close: () => Promise<void>
}

/** The in-process kernel, as `test/support/kernel.ts` provides it. */
export interface KitKernel {
  /** A request against the kernel; paths are relative to its public URL. */
  readonly request: (path: string, init?: RequestInit & { readonly apiKey?: string }) => Promise<Response>
  readonly createTenant: (name: string) => Promise<{ readonly tenantId: string; readonly apiKey: string }>
  readonly publish: (apiKey: string, body: Record<string, unknown>) => Promise<{ readonly id: string }>
  /** Every dispatch the session sink accepted, in order. */
  readonly deliveries: ReadonlyArray<SessionDelivery>
  readonly eventually: <A>(check: () => A | undefined | Promise<A | undefined>, timeoutMs?: number) => Promise<A>
  /** The official MCP SDK client, bound to a delivery's session token. */
  readonly mcpClient: (delivery: SessionDelivery) => Promise<Client>
  readonly close: () => Promise<void>
}

export interface KitHarness {
  readonly serve: (handler: WebHandler) => Promise<KitServer>
  readonly startKernel: (options: {
    readonly env: Record<string, string>
    readonly providers: ReadonlyArray<ProviderFactory>
  }) => Promise<KitKernel>
}

/** One tenant with the provider installed, and the fake it talks to. */
export interface KitWorld<Fake = unknown> {
  readonly kernel: KitKernel
  readonly fake: Fake
  /** Where the fake is served. */
  readonly fakeUrl: string
  readonly apiKey: string
}

/** Inputs for one tool: `valid` ones its Schema accepts, `invalid` ones it rejects. */
export interface ToolSamples {
  readonly valid: ReadonlyArray<unknown>
  readonly invalid?: ReadonlyArray<unknown> | undefined
}

export interface ProviderKitOptions<Fake extends { readonly handler: WebHandler }> {
  /** Names the suite when a provider runs the kit more than once (one per install type ...). */
  readonly name?: string | undefined
  readonly provider: ProviderFactory
  readonly fake: {
    /** A fresh fake of the vendor (OAuth and API), with whatever controls the test needs. */
    readonly make: () => Fake
    /** The env that points the provider at the fake served at `fakeUrl` (API URLs, client id, webhook secret ...). */
    readonly env: (fakeUrl: string, fake: Fake) => Record<string, string> | Promise<Record<string, string>>
  }
  /** Installs the provider for the world's tenant: `installByOAuth` or `installByPaste`, usually. */
  readonly install: (world: KitWorld<Fake>) => Promise<void>
  /** The publications the kit creates; granularity defaults to the provider's first. */
  readonly publication?: {
    readonly granularity?: Granularity | undefined
    readonly filters?: Readonly<Record<string, ReadonlyArray<string>>> | undefined
  } | undefined
  readonly webhook: {
    /** Default `/webhook/<provider id>`. */
    readonly path?: string | undefined
    /** The secret the env configures; the kit signs with it (and with a wrong one). */
    readonly secret: string
    /** The header carrying the signature, which the kit removes and truncates. */
    readonly signatureHeader: string
    /** Signs `body` as the vendor would, with `deliveryId` wherever the vendor puts it. */
    readonly sign: (input: { readonly body: string; readonly deliveryId: string; readonly secret: string }) => Promise<SignedWebhook>
    /** A body that dispatches to a publication of the installed tenant (an assignment, a mention ...). */
    readonly dispatching: (world: KitWorld<Fake>, deliveryId: string) => string | Promise<string>
    /** Bodies the provider must answer 400, besides the kit's own (not JSON, `{}`, `[]` ...). */
    readonly malformed?: ReadonlyArray<string> | undefined
    /**
     * The event type and delivery id come from headers (GitHub), so a signed `{}` still has them:
     * it is accepted (200) and recorded as ignored rather than answered 400.
     */
    readonly routesByHeaders?: boolean | undefined
  }
  readonly tools: {
    /** Samples for every tool, by its short name. */
    readonly samples: Readonly<Record<string, ToolSamples>>
    /** Installation metadata and token extras the schema probe hands the executors. */
    readonly probeContext?: ProbeContext | undefined
    /** A tool call the fake is made to fail, which must come back as a tool error. */
    readonly vendorError: {
      readonly tool: string
      readonly input: (world: KitWorld<Fake>) => Record<string, unknown>
      readonly arrange: (world: KitWorld<Fake>) => void | Promise<void>
      readonly restore?: ((world: KitWorld<Fake>) => void | Promise<void>) | undefined
      /** Default: VendorError or RateLimited. */
      readonly reasons?: ReadonlyArray<ToolError["reason"]> | undefined
    }
  }
}
