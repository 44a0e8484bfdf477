/**
 * The kernel's settings, read once from Effect Config (so from env on every runtime). Secrets
 * are `Redacted`. Each provider reads its own settings; these are the kernel's alone.
 *
 * | env | meaning |
 * |---|---|
 * | SWITCHBOARD_PUBLIC_URL | the base URL vendors and agents reach (redirect URIs, MCP URL); required by the Bun, Deno and Node entrypoints |
 * | MCP_SIGNING_KEY | HMAC key for MCP session tokens and for signing dispatches (32+ bytes) |
 * | SWITCHBOARD_VAULT_KEYS | `id:base64key[,id:base64key...]`, AES-256 keys; the first seals |
 * | SWITCHBOARD_ADMIN_TOKEN | bearer token for tenant administration (`/v1/tenants`); at least 32 characters and 10 distinct ones (`switchboard keys generate` makes one), else startup fails |
 * | SWITCHBOARD_RETURN_URLS | comma-separated origins an install may return to |
 * | SWITCHBOARD_MAX_BODY_BYTES | webhook and MCP request body limit (default 1048576) |
 * | SWITCHBOARD_MAX_REQUEST_BYTES | every other request body: management API, pastes (default 65536) |
 * | SWITCHBOARD_WEBHOOKS_PER_MINUTE | webhooks one tenant may send per minute, in bursts up to that (default 6000; 0 = no limit) |
 * | SWITCHBOARD_TOOL_CALLS_PER_MINUTE | MCP tool calls one tenant may make per minute, likewise (default 1200; 0 = no limit) |
 * | SWITCHBOARD_AUTH_FAILURES_PER_MINUTE | failed authentications allowed per client and per tenant aimed at, per minute (default 30; 0 = no limit) |
 * | SWITCHBOARD_CLIENT_IP_HEADER | the request header holding the client's address, set by a proxy you trust (`cf-connecting-ip` on Workers, `x-real-ip`, `x-forwarded-for`: its last entry); unset: clients are not told apart |
 * | SWITCHBOARD_SESSIONS_TIMEOUT | how long one delivery to the agent platform may take (default 30 seconds) |
 * | SWITCHBOARD_DISPATCH_CONCURRENCY | deliveries to the agent platform one process runs at once (default 64; 1 to 1024) |
 * | SWITCHBOARD_MCP_ALLOWED_HOSTS | comma-separated hostnames `/mcp` also answers besides the public URL's (Host check) |
 * | SWITCHBOARD_MCP_ALLOWED_ORIGINS | comma-separated origins browser pages may call `/mcp` from besides the public URL's |
 * | SWITCHBOARD_ACCESS_LOG | `on` (default): one log line per request (`http/AccessLog.ts`); `errors`: only answers of 400 and above; `off` |
 * | SWITCHBOARD_OUTBOX_STUCK_AFTER | `/health` answers degraded when the oldest pending dispatch is older than this (default 15 minutes) |
 */
import { Config, ConfigProvider, Context, Duration, Effect, Layer, Option, Redacted } from "effect"

/** Generous for a person retyping a key, far below what guessing keys needs (see `Limits`). */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30

const commaList = (value: string) => value.split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0)

export interface VaultKey {
  readonly id: string
  readonly key: Redacted.Redacted<string>
}

/** Per-tenant limits (see `kernel/limits/Limits.ts`); 0 turns one off. */
export interface TenantLimits {
  readonly webhooksPerMinute: number
  readonly toolCallsPerMinute: number
  /** Failed authentications per client and per tenant (absent: 30). */
  readonly authFailuresPerMinute?: number | undefined
}

/**
 * The admin token reaches every tenant: a guessable one is refused at startup. 32 characters
 * with 10 distinct ones admits what `switchboard keys generate` prints (24 random bytes) and any
 * long random string, and refuses words, short tokens and repeated characters.
 */
export const ADMIN_TOKEN_MIN_LENGTH = 32
export const ADMIN_TOKEN_MIN_DISTINCT = 10

/** Why an admin token is too weak, or undefined when it is strong enough. */
export const adminTokenWeakness = (token: string): string | undefined =>
  token.length < ADMIN_TOKEN_MIN_LENGTH
    ? `it has ${token.length} characters; it needs at least ${ADMIN_TOKEN_MIN_LENGTH}`
    : new Set(token).size < ADMIN_TOKEN_MIN_DISTINCT
    ? `it has ${new Set(token).size} distinct characters; it needs at least ${ADMIN_TOKEN_MIN_DISTINCT}`
    : undefined

const strongAdminToken = (token: Redacted.Redacted<string>): Config.Config<Redacted.Redacted<string>> => {
  const weakness = adminTokenWeakness(Redacted.value(token))
  return weakness === undefined
    ? Config.succeed(token)
    : Config.fail(
      new ConfigProvider.SourceError({
        message: `SWITCHBOARD_ADMIN_TOKEN is too weak: ${weakness}. Generate one with \`switchboard keys generate\`.`
      })
    )
}

/** High enough for a busy workspace, a load test or the dev sandbox; low enough to stop a flood. */
export const defaultTenantLimits: TenantLimits = { webhooksPerMinute: 6000, toolCallsPerMinute: 1200 }

/** Each setting of `KernelConfig.config`, by the name it has in the raw config. */
/** Days of event bodies to keep: a whole number, 0 (the default) keeping them all. */
const retentionDays = (days: number): Config.Config<number> =>
  days >= 0 && days <= 36_500
    ? Config.succeed(days)
    : Config.fail(
      new ConfigProvider.SourceError({
        message: "SWITCHBOARD_RETENTION_DAYS must be a whole number of days, 0 (keep everything) or more"
      })
    )

/** Deliveries at once: at least one, and few enough that a process never opens sockets by the thousand. */
const MAX_DISPATCH_CONCURRENCY = 1024
const dispatchConcurrency = (count: number): Config.Config<number> =>
  count >= 1 && count <= MAX_DISPATCH_CONCURRENCY
    ? Config.succeed(count)
    : Config.fail(
      new ConfigProvider.SourceError({
        message: `SWITCHBOARD_DISPATCH_CONCURRENCY must be a whole number from 1 to ${MAX_DISPATCH_CONCURRENCY}`
      })
    )

const fields = {
  // Defaulted here so an embedding host or a test may leave it out; the Bun, Deno and Node entrypoints
  // require it (their preflight), and the dev command sets it.
  publicUrl: Config.String("SWITCHBOARD_PUBLIC_URL").pipe(Config.withDefault("http://localhost:8787")),
  signingKey: Config.Redacted("MCP_SIGNING_KEY"),
  vaultKeys: Config.Redacted("SWITCHBOARD_VAULT_KEYS"),
  adminToken: Config.option(Config.Redacted("SWITCHBOARD_ADMIN_TOKEN").pipe(Config.flatMap(strongAdminToken))),
  returnUrls: Config.String("SWITCHBOARD_RETURN_URLS").pipe(Config.withDefault("")),
  maxBodyBytes: Config.Int("SWITCHBOARD_MAX_BODY_BYTES").pipe(Config.withDefault(1024 * 1024)),
  maxRequestBytes: Config.Int("SWITCHBOARD_MAX_REQUEST_BYTES").pipe(Config.withDefault(64 * 1024)),
  webhooksPerMinute: Config.Int("SWITCHBOARD_WEBHOOKS_PER_MINUTE").pipe(
    Config.withDefault(defaultTenantLimits.webhooksPerMinute)
  ),
  toolCallsPerMinute: Config.Int("SWITCHBOARD_TOOL_CALLS_PER_MINUTE").pipe(
    Config.withDefault(defaultTenantLimits.toolCallsPerMinute)
  ),
  authFailuresPerMinute: Config.Int("SWITCHBOARD_AUTH_FAILURES_PER_MINUTE").pipe(
    Config.withDefault(DEFAULT_AUTH_FAILURES_PER_MINUTE)
  ),
  clientIpHeader: Config.option(Config.NonEmptyString("SWITCHBOARD_CLIENT_IP_HEADER")),
  // The sinks in adapters/sink read the same setting for their own request timeout.
  sinkTimeout: Config.Duration("SWITCHBOARD_SESSIONS_TIMEOUT").pipe(Config.withDefault(Duration.seconds(30))),
  // Absent: the kernel's default (`Dispatch.DEFAULT_DISPATCH_CONCURRENCY`), kept there beside its reasons.
  dispatchConcurrency: Config.option(Config.Int("SWITCHBOARD_DISPATCH_CONCURRENCY").pipe(Config.flatMap(dispatchConcurrency))),
  mcpAllowedHosts: Config.String("SWITCHBOARD_MCP_ALLOWED_HOSTS").pipe(Config.withDefault("")),
  mcpAllowedOrigins: Config.String("SWITCHBOARD_MCP_ALLOWED_ORIGINS").pipe(Config.withDefault("")),
  accessLog: Config.Literals(["on", "errors", "off"], "SWITCHBOARD_ACCESS_LOG").pipe(Config.withDefault("on")),
  outboxStuckAfter: Config.Duration("SWITCHBOARD_OUTBOX_STUCK_AFTER").pipe(Config.withDefault(Duration.minutes(15))),
  retentionDays: Config.Int("SWITCHBOARD_RETENTION_DAYS").pipe(Config.flatMap(retentionDays), Config.withDefault(0))
}

export class KernelConfig extends Context.Service<KernelConfig, {
  readonly publicUrl: string
  readonly signingKey: Redacted.Redacted<string>
  readonly vaultKeys: ReadonlyArray<VaultKey>
  readonly adminToken: Option.Option<Redacted.Redacted<string>>
  readonly returnUrlOrigins: ReadonlyArray<string>
  readonly maxBodyBytes: number
  /** Every request body but webhooks' and MCP's (absent: 64 KiB, see `http/SecurityHeaders.ts`). */
  readonly maxRequestBytes?: number | undefined
  /** Optional so a config built by hand (the CLI's) need not name them: absent means the defaults. */
  readonly tenantLimits?: TenantLimits | undefined
  /**
   * The header a trusted proxy puts the client's address in (lower case); absent: clients are
   * not told apart, and failed authentications are limited only per tenant and all together.
   */
  readonly clientIpHeader?: string | undefined
  /** The outbox's bound on one sink call, whatever the sink (absent: 30 s). */
  readonly sinkTimeoutMs?: number | undefined
  /** Deliveries one process runs at once (absent: `DEFAULT_DISPATCH_CONCURRENCY`, 64). */
  readonly dispatchConcurrency?: number | undefined
  /**
   * Hostnames the `/mcp` Host header may name: the public URL's, then SWITCHBOARD_MCP_ALLOWED_HOSTS.
   * Optional so configs built by hand (the CLI's) stay valid; absent means the public URL's only.
   */
  readonly mcpAllowedHosts?: ReadonlyArray<string>
  /** Origins a browser may call `/mcp` from: the public URL's, then SWITCHBOARD_MCP_ALLOWED_ORIGINS. Absent: the public URL's. */
  readonly mcpAllowedOrigins?: ReadonlyArray<string>
  /** One log line per request, only for answers of 400 and above, or none (absent: on). */
  readonly accessLog?: "on" | "errors" | "off" | undefined
  /** `/health` is degraded once the oldest pending dispatch is older than this (absent: 15 minutes). */
  readonly outboxStuckAfterMs?: number | undefined
  /**
   * Past this many days an event's body and headers are emptied and its finished dispatches
   * deleted (`retention/Retention.ts`); absent or 0: everything is kept.
   */
  readonly retentionDays?: number | undefined
}>()("switchboard/KernelConfig") {
  /** The settings one by one, so a preflight can report every bad one at once (`runtimes/shared/preflight.ts`). */
  static readonly fields = fields

  static readonly config = Config.all(fields)

  /** The settings from what `config` read. */
  static readonly fromRaw = (raw: Config.Success<typeof KernelConfig.config>): KernelConfig["Service"] => {
    const vaultKeys = Redacted.value(raw.vaultKeys).split(",").map((entry) => entry.trim()).filter((entry) =>
      entry.length > 0
    ).map((entry) => {
      const separator = entry.indexOf(":")
      return separator <= 0
        ? { id: "k1", key: Redacted.make(entry) }
        : { id: entry.slice(0, separator), key: Redacted.make(entry.slice(separator + 1)) }
    })
    const publicUrl = raw.publicUrl.replace(/\/+$/, "")
    return KernelConfig.of({
      publicUrl,
      signingKey: raw.signingKey,
      vaultKeys,
      adminToken: raw.adminToken,
      returnUrlOrigins: [
        new URL(publicUrl).origin,
        ...raw.returnUrls.split(",").map((origin) => origin.trim()).filter((origin) => origin.length > 0)
      ],
      maxBodyBytes: raw.maxBodyBytes,
      maxRequestBytes: raw.maxRequestBytes,
      tenantLimits: {
        webhooksPerMinute: raw.webhooksPerMinute,
        toolCallsPerMinute: raw.toolCallsPerMinute,
        authFailuresPerMinute: raw.authFailuresPerMinute
      },
      clientIpHeader: Option.getOrUndefined(Option.map(raw.clientIpHeader, (header) => header.trim().toLowerCase())),
      sinkTimeoutMs: Duration.toMillis(raw.sinkTimeout),
      dispatchConcurrency: Option.getOrUndefined(raw.dispatchConcurrency),
      mcpAllowedHosts: [new URL(publicUrl).hostname, ...commaList(raw.mcpAllowedHosts)],
      mcpAllowedOrigins: [new URL(publicUrl).origin, ...commaList(raw.mcpAllowedOrigins)],
      accessLog: raw.accessLog,
      outboxStuckAfterMs: Duration.toMillis(raw.outboxStuckAfter),
      retentionDays: raw.retentionDays
    })
  }

  /** Reads the settings from the current ConfigProvider. */
  static readonly make: Effect.Effect<KernelConfig["Service"], Config.ConfigError> = Effect.map(
    KernelConfig.config,
    KernelConfig.fromRaw
  )

  static readonly layerConfig = Layer.effect(KernelConfig, KernelConfig.make)
}
