/**
 * The kernel as one value.
 *
 * - `Kernel.services`: every kernel service (install, webhooks, dispatch, tools, MCP,
 *   publications, deliveries ...) over `KernelDependencies`;
 * - `Kernel.routes` / `Kernel.layer`: the kernel's own routes registered on Effect's
 *   `HttpRouter` (without / with the services provided). Another Effect app embeds Switchboard
 *   by providing the dependencies and serving this layer with its own HttpServer (and its own
 *   routes beside ours);
 * - `Kernel.makeApp`: the kernel plus dependencies as a web-standard handler, with `drain` for
 *   cron-driven runtimes. It serves the kernel's routes and whatever route layers the caller
 *   adds (the runtimes add the Console's): the kernel never imports its UI.
 */
import { Config, Context, Duration, Effect, Layer, Logger, ManagedRuntime, Option, References, Schedule } from "effect"
import { HttpRouter } from "effect/http"
import type { HttpClient } from "effect/http"
import { OtlpMetrics, OtlpSerialization, OtlpTracer } from "effect/observability"
import { Deliveries } from "./deliveries/Deliveries.ts"
import { Dispatch, POLL_EVERY_MS } from "./dispatch/Dispatch.ts"
import type { SessionSink } from "./dispatch/SessionSink.ts"
import { AccessLog } from "./http/AccessLog.ts"
import { jsonLogger } from "./observability/JsonLogger.ts"
import { DeliveryRoutes } from "./http/DeliveryRoutes.ts"
import { HealthRoutes } from "./http/HealthRoutes.ts"
import { InstallationRoutes } from "./http/InstallationRoutes.ts"
import { InstallRoutes } from "./http/InstallRoutes.ts"
import { IntegrationRoutes } from "./http/IntegrationRoutes.ts"
import { mcpFetch, McpRoutes } from "./http/McpRoutes.ts"
import { MetricsRoutes } from "./http/MetricsRoutes.ts"
import { OverviewRoutes } from "./http/OverviewRoutes.ts"
import { PublicationRoutes } from "./http/PublicationRoutes.ts"
import { RegistrationRoutes } from "./http/RegistrationRoutes.ts"
import { RejectionRoutes } from "./http/RejectionRoutes.ts"
import { errorJson } from "./http/Respond.ts"
import { route } from "./http/Route.ts"
import { SecurityHeaders, withSecurityHeadersWeb } from "./http/SecurityHeaders.ts"
import { TenantRoutes } from "./http/TenantRoutes.ts"
import { webhookFetch, WebhookRoutes } from "./http/WebhookRoutes.ts"
import { Install } from "./install/Install.ts"
import { InstallationTokens } from "./install/InstallationTokens.ts"
import { Registrations } from "./install/Registrations.ts"
import { Revocation } from "./install/Revocation.ts"
import type { KernelConfig } from "./KernelConfig.ts"
import { Limits } from "./limits/Limits.ts"
import { sampleForever } from "./observability/OutboxDepth.ts"
import { ToolCallCounts } from "./observability/ToolCallCounts.ts"
import { Mcp } from "./mcp/Mcp.ts"
import { Publications } from "./publications/Publications.ts"
import type { Registry } from "./registry/Registry.ts"
import { Background } from "./runtime/Background.ts"
import { WaitUntil } from "./runtime/WaitUntil.ts"
import { inBackground } from "./store/DatabaseWait.ts"
import type { Stores } from "./store/Stores.ts"
import { Tenants } from "./tenants/Tenants.ts"
import { Tools } from "./tools/Tools.ts"
import { InstallTickets } from "./vault/InstallTickets.ts"
import { SessionTokens } from "./vault/SessionTokens.ts"
import { Vault } from "./vault/Vault.ts"
import { Retention, RETENTION_EVERY_MINUTES } from "./retention/Retention.ts"
import { Rejections } from "./webhooks/Rejections.ts"
import { Webhooks } from "./webhooks/Webhooks.ts"
import { type Lane, WebhookLane } from "./webhooks/WebhookLane.ts"

/** Everything the kernel needs from outside: providers, storage, a sink, HTTP and config. */
export type KernelDependencies = Registry | KernelConfig | SessionSink | HttpClient.HttpClient | Stores

const secrets = Layer.mergeAll(Vault.layer, SessionTokens.layer, InstallTickets.layer)
const installation = Install.layer.pipe(
  Layer.provideMerge(InstallationTokens.layer),
  Layer.provideMerge(Registrations.layer),
  Layer.provideMerge(Revocation.layer)
)
const dispatch = Dispatch.layer.pipe(Layer.provideMerge(Background.layer))
const tools = Mcp.layer.pipe(Layer.provideMerge(Tools.layer), Layer.provideMerge(ToolCallCounts.layer))

/** Every kernel service, built once over the dependencies. */
export const services = Layer.mergeAll(
  WebhookLane.layer.pipe(Layer.provideMerge(Webhooks.layer.pipe(Layer.provideMerge(Layer.mergeAll(installation, dispatch))))),
  tools.pipe(Layer.provide(installation)),
  Deliveries.layer.pipe(Layer.provide(dispatch)),
  Publications.layer,
  Tenants.layer,
  Rejections.layer,
  Retention.layer
).pipe(Layer.provideMerge(secrets), Layer.provideMerge(Limits.layer))

/** What `services` provides: what a route layer composed beside the kernel's may use. */
export type KernelServices = Layer.Success<typeof services>

const NotFound = route("*", "/*", Effect.succeed(errorJson(404, "NotFound", "No such route")))

/**
 * The kernel's own routes on an `HttpRouter`, services still required, ending in a catch-all
 * 404 (a specific route merged beside them, such as the Console's `/`, still wins). No Console:
 * the runtimes compose it (`runtimes/shared/app.ts`). `SecurityHeaders` and `AccessLog` are
 * global on the router: they cover every route merged beside these as well.
 */
export const routes = Layer.mergeAll(
  AccessLog,
  SecurityHeaders,
  HealthRoutes,
  IntegrationRoutes,
  InstallRoutes,
  WebhookRoutes,
  McpRoutes,
  TenantRoutes,
  InstallationRoutes,
  PublicationRoutes,
  DeliveryRoutes,
  RegistrationRoutes,
  RejectionRoutes,
  MetricsRoutes,
  OverviewRoutes,
  NotFound
)

/** The kernel's routes with its services provided: what an Effect app embeds. */
export const layer = routes.pipe(Layer.provide(services))

/**
 * How long after start the poller's first pass waits. A pass is database reads and code run for
 * the first time (about 6 ms on Bun at start); made at once, it held up the first requests of a
 * fresh process, which arrive as the server starts listening. What it would find (dispatches due
 * across a restart) waits less than one interval longer.
 */
export const POLLER_FIRST_PASS_DELAY = "1 second"

/** How often the poller runs a retention pass (`retention/Retention.ts`), the first one after a minute. */
export const RETENTION_EVERY = Duration.minutes(RETENTION_EVERY_MINUTES)

/** One retention pass; a failure is logged, and the next pass tries again. */
const retentionPass = Effect.flatMap(Retention, (retention) => retention.pass).pipe(
  Effect.asVoid,
  Effect.catch((error) => Effect.logWarning("retention pass failed", error.message))
)

/**
 * Starts due dispatches and decides undecided events every `POLL_EVERY_MS` (two seconds), or
 * sooner when a pass says something falls due before then (a lease or a backoff ending, an
 * undecided event becoming a leftover, a whole batch of leftovers just decided), for the app's
 * lifetime, from `POLLER_FIRST_PASS_DELAY` after start. A pass does not wait for the deliveries
 * it starts, so a hung one never delays the next pass. Beside it, the outbox gauges are sampled
 * every 15 seconds (`observability/OutboxDepth.ts`), from the same delay after start, and
 * retention runs every `RETENTION_EVERY` (nothing to do unless SWITCHBOARD_RETENTION_DAYS is set).
 */
export const poller = Layer.effectDiscard(
  Effect.gen(function*() {
    const dispatcher = yield* Dispatch
    yield* dispatcher.poll.pipe(
      inBackground,
      Effect.catch((error) => Effect.as(Effect.logWarning("outbox drain failed", error.message), POLL_EVERY_MS)),
      Effect.flatMap((waitMs) => Effect.sleep(Duration.millis(waitMs))),
      Effect.forever,
      Effect.delay(POLLER_FIRST_PASS_DELAY),
      Effect.forkScoped
    )
    yield* Effect.forkScoped(Effect.delay(sampleForever, POLLER_FIRST_PASS_DELAY))
    yield* retentionPass.pipe(
      Effect.repeat(Schedule.spaced(RETENTION_EVERY)),
      Effect.delay("1 minute"),
      Effect.forkScoped
    )
  })
)

/**
 * Logs, traces and metrics, from config. SWITCHBOARD_LOG_FORMAT picks the logger: `json` (the
 * default, one object per line with its annotations, such as the webhook's `correlationId`),
 * `pretty` or `logfmt`. SWITCHBOARD_OTLP_ENDPOINT (or the standard OTEL_EXPORTER_OTLP_ENDPOINT),
 * when set, exports over OTLP/HTTP (JSON) as OTEL_SERVICE_NAME (default "switchboard"): spans to
 * `<endpoint>/v1/traces`, and the metrics of `observability/Metrics.ts` to `<endpoint>/v1/metrics`
 * every OTEL_METRIC_EXPORT_INTERVAL milliseconds (default 10000), flushed when the app stops.
 * Without an endpoint tracing is off.
 */
export const observability = Layer.unwrap(Effect.gen(function*() {
  const format = yield* Config.Literals(["json", "pretty", "logfmt"], "SWITCHBOARD_LOG_FORMAT").pipe(Config.withDefault("json"))
  const endpoint = yield* Config.option(Config.NonEmptyString("SWITCHBOARD_OTLP_ENDPOINT")).pipe(
    Effect.flatMap((own) => Option.isSome(own) ? Effect.succeed(own) : Config.option(Config.NonEmptyString("OTEL_EXPORTER_OTLP_ENDPOINT")))
  )
  const serviceName = yield* Config.String("OTEL_SERVICE_NAME").pipe(Config.withDefault("switchboard"))
  const exportInterval = yield* Config.Int("OTEL_METRIC_EXPORT_INTERVAL").pipe(Config.withDefault(10_000))
  const logger = Logger.layer([
    format === "json" ? jsonLogger : format === "pretty" ? Logger.consolePretty() : Logger.consoleLogFmt
  ])
  // With no exporter nobody reads a span: tracing off makes every span a no-op on the hot paths.
  if (Option.isNone(endpoint)) return Layer.merge(logger, Layer.succeed(References.TracerEnabled, false))
  const base = endpoint.value.replace(/\/+$/, "")
  const tracer = OtlpTracer.layer({ url: `${base}/v1/traces`, resource: { serviceName } })
  const metrics = OtlpMetrics.layer({ url: `${base}/v1/metrics`, resource: { serviceName }, exportInterval })
  return Layer.mergeAll(logger, Layer.merge(tracer, metrics).pipe(Layer.provide(OtlpSerialization.layerJson)))
}))

export interface KernelApp {
  /** Serves one request. On Workers pass `ctx.waitUntil` so work after the response survives. */
  readonly fetch: (request: Request, waitUntil?: (promise: Promise<unknown>) => void) => Promise<Response>
  /** Delivers what is due in the outbox and decides stored-but-undecided events (Workers cron). */
  readonly drain: () => Promise<void>
  /** One retention pass (`retention/Retention.ts`; the Workers cron, every `RETENTION_EVERY_MINUTES`). */
  readonly retain: () => Promise<void>
  readonly dispose: () => Promise<void>
}

/** Route layers served beside the kernel's, over the same services (the Console, a host's own). */
export type ExtraRoutes<E = never> = Layer.Layer<never, E, HttpRouter.HttpRouter | KernelServices | KernelDependencies>

export interface MakeAppOptions<E2 = never> {
  /** Run an in-process outbox poller (Bun, Deno, Node). Workers use `drain` from a cron instead. */
  readonly poller: boolean
  /** Served beside the kernel's routes (a specific route wins over the kernel's catch-all 404). */
  readonly routes?: ExtraRoutes<E2> | undefined
}

export const makeApp = <E, E2 = never>(
  dependencies: Layer.Layer<KernelDependencies, E>,
  options: MakeAppOptions<E2>
): KernelApp => {
  // One memo map: the router and `drain` share the same services (one database, one poller).
  const memoMap = Layer.makeMemoMapUnsafe()
  const built = services.pipe(Layer.provideMerge(observability), Layer.provideMerge(dependencies))
  const withPoller = options.poller ? Layer.merge(built, poller.pipe(Layer.provide(built))) : built
  const runtime = ManagedRuntime.make(withPoller, { memoMap })
  const served = options.routes === undefined ? routes : Layer.merge(routes, options.routes)
  const makeWeb = () => HttpRouter.toWebHandler(served.pipe(Layer.provide(built)), { memoMap, disableLogger: true })
  // Made on the first request a route answers: webhooks never need the router, and a fresh
  // process's first request is usually a webhook (its making is ~5 ms of a Bun start).
  let router: ReturnType<typeof makeWeb> | undefined
  const web = () => (router ??= makeWeb())
  // Built eagerly so the poller starts and configuration errors surface at startup; the webhook
  // lane is used once it is ready (until then deliveries take the pipeline).
  let lane: Lane | undefined
  void runtime.runPromise(Effect.service(WebhookLane)).then(
    (built) => {
      lane = built
    },
    (error) => console.error("Switchboard failed to start", error)
  )
  // Webhook deliveries and MCP calls skip the router (`webhookFetch`, `mcpFetch`): the same
  // handlers, answers and lines, without its request and response conversions.
  const pipeline = (request: Request, waitUntil?: (promise: Promise<unknown>) => void): Promise<Response> | undefined => {
    const direct: Effect.Effect<Response, never, KernelServices | KernelDependencies> | undefined = webhookFetch(request) ??
      mcpFetch(request)
    if (direct === undefined) return undefined
    return runtime.runPromise(waitUntil === undefined ? direct : Effect.provideService(direct, WaitUntil, waitUntil))
  }
  const routed = (request: Request) => pipeline(request) ?? web().handler(request)
  return {
    fetch: (request, waitUntil) => {
      // Where the database and the hash answer in place, the lane takes the common delivery
      // (`WebhookLane.ts`); on Workers (`waitUntil`) never: D1 answers with a promise.
      const answered = (waitUntil === undefined ? lane?.handle(request, routed) : undefined) ??
        pipeline(request, waitUntil) ??
        (waitUntil === undefined ? web().handler(request) : web().handler(request, Context.make(WaitUntil, waitUntil)))
      return answered.catch(
        // The layer did not build (bad configuration, unreachable database): the cause was logged
        // at startup; callers get a 503 that says nothing about the internals.
        () =>
          withSecurityHeadersWeb(
            new Response(JSON.stringify({ error: { reason: "Unavailable", message: "Switchboard is not ready" } }), {
              status: 503,
              headers: { "content-type": "application/json", "retry-after": "5" }
            })
          )
      )
    },
    drain: () => runtime.runPromise(Effect.flatMap(Dispatch, (dispatcher) => dispatcher.drain)),
    retain: () => runtime.runPromise(retentionPass),
    dispose: async () => {
      await router?.dispose()
      await runtime.dispose()
    }
  }
}
