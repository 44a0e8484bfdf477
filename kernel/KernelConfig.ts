/**
 * The kernel's settings, read once from Effect Config (so from env on every runtime). Secrets
 * are `Redacted`. Each provider reads its own settings; these are the kernel's alone.
 *
 * | env | meaning |
 * |---|---|
 * | SWITCHBOARD_PUBLIC_URL | the base URL vendors and agents reach (redirect URIs, MCP URL) |
 * | MCP_SIGNING_KEY | HMAC key for MCP session tokens and for signing dispatches (32+ bytes) |
 * | SWITCHBOARD_VAULT_KEYS | `id:base64key[,id:base64key...]`, AES-256 keys; the first seals |
 * | SWITCHBOARD_ADMIN_TOKEN | bearer token for tenant administration (`POST /v1/tenants`) |
 * | SWITCHBOARD_RETURN_URLS | comma-separated origins an install may return to |
 * | SWITCHBOARD_MAX_BODY_BYTES | webhook and MCP request body limit (default 1048576) |
 * | SWITCHBOARD_MAX_REQUEST_BYTES | every other request body: management API, pastes (default 65536) |
 * | SWITCHBOARD_WEBHOOKS_PER_MINUTE | webhooks one tenant may send per minute, in bursts up to that (default 6000; 0 = no limit) |
 * | SWITCHBOARD_TOOL_CALLS_PER_MINUTE | MCP tool calls one tenant may make per minute, likewise (default 1200; 0 = no limit) |
 * | SWITCHBOARD_SESSIONS_TIMEOUT | how long one delivery to the agent platform may take (default 30 seconds) |
 */
import { Config, Context, Duration, Effect, Layer, Option, Redacted } from "effect"

export interface VaultKey {
  readonly id: string
  readonly key: Redacted.Redacted<string>
}

/** Per-tenant limits (see `kernel/limits/Limits.ts`); 0 turns one off. */
export interface TenantLimits {
  readonly webhooksPerMinute: number
  readonly toolCallsPerMinute: number
}

/** High enough for a busy workspace, a load test or the dev sandbox; low enough to stop a flood. */
export const defaultTenantLimits: TenantLimits = { webhooksPerMinute: 6000, toolCallsPerMinute: 1200 }

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
  /** The outbox's bound on one sink call, whatever the sink (absent: 30 s). */
  readonly sinkTimeoutMs?: number | undefined
}>()("switchboard/KernelConfig") {
  static readonly config = Config.all({
    publicUrl: Config.String("SWITCHBOARD_PUBLIC_URL").pipe(Config.withDefault("http://localhost:8787")),
    signingKey: Config.Redacted("MCP_SIGNING_KEY"),
    vaultKeys: Config.Redacted("SWITCHBOARD_VAULT_KEYS"),
    adminToken: Config.option(Config.Redacted("SWITCHBOARD_ADMIN_TOKEN")),
    returnUrls: Config.String("SWITCHBOARD_RETURN_URLS").pipe(Config.withDefault("")),
    maxBodyBytes: Config.Int("SWITCHBOARD_MAX_BODY_BYTES").pipe(Config.withDefault(1024 * 1024)),
    maxRequestBytes: Config.Int("SWITCHBOARD_MAX_REQUEST_BYTES").pipe(Config.withDefault(64 * 1024)),
    webhooksPerMinute: Config.Int("SWITCHBOARD_WEBHOOKS_PER_MINUTE").pipe(
      Config.withDefault(defaultTenantLimits.webhooksPerMinute)
    ),
    toolCallsPerMinute: Config.Int("SWITCHBOARD_TOOL_CALLS_PER_MINUTE").pipe(
      Config.withDefault(defaultTenantLimits.toolCallsPerMinute)
    ),
    // The sinks in adapters/sink read the same setting for their own request timeout.
    sinkTimeout: Config.Duration("SWITCHBOARD_SESSIONS_TIMEOUT").pipe(Config.withDefault(Duration.seconds(30)))
  })

  static readonly layerConfig = Layer.effect(
    KernelConfig,
    Effect.gen(function*() {
      const raw = yield* KernelConfig.config
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
        tenantLimits: { webhooksPerMinute: raw.webhooksPerMinute, toolCallsPerMinute: raw.toolCallsPerMinute },
        sinkTimeoutMs: Duration.toMillis(raw.sinkTimeout)
      })
    })
  )
}
