/**
 * What the mutation unit tests share: a simulated vendor ("widgets") whose every answer a test
 * can set and whose every call it can read, and the kernel's install and tool services built
 * on fresh in-memory stores. Each test builds its own layer (`Effect.provide(installWorld(...))`
 * inside the test), so Stryker attributes the code a layer runs to that test.
 */
import { Clock, Effect, Layer, Option, Redacted, Schema } from "effect"
import { FetchHttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { type AppRegistration } from "../../kernel/domain/AppRegistration.ts"
import { type InstallGrant, type TokenSet, tokenSet } from "../../kernel/domain/Credentials.ts"
import { InstallError, ToolError } from "../../kernel/domain/Errors.ts"
import { InstallationId, ProviderId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Publication } from "../../kernel/domain/Publication.ts"
import { Install } from "../../kernel/install/Install.ts"
import { InstallationTokens } from "../../kernel/install/InstallationTokens.ts"
import { Registrations } from "../../kernel/install/Registrations.ts"
import { Revocation } from "../../kernel/install/Revocation.ts"
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import { Limits } from "../../kernel/limits/Limits.ts"
import { ToolCallCounts } from "../../kernel/observability/ToolCallCounts.ts"
import type { IntegrationProvider } from "../../kernel/provider/Provider.ts"
import type { AppContext } from "../../kernel/provider/Registration.ts"
import { defineTool } from "../../kernel/provider/Tool.ts"
import { Registry } from "../../kernel/registry/Registry.ts"
import { InstallationStore } from "../../kernel/store/InstallationStore.ts"
import { PublicationStore } from "../../kernel/store/PublicationStore.ts"
import { TenantStore } from "../../kernel/store/TenantStore.ts"
import { Tools } from "../../kernel/tools/Tools.ts"
import { base64Encode } from "../../kernel/encoding/Encoding.ts"
import { sealTokens } from "../../kernel/vault/TokenCodec.ts"
import { Vault } from "../../kernel/vault/Vault.ts"
import { noWebhook } from "../support/noWebhook.ts"
import { storesInMemory } from "../support/storesInMemory.ts"

/** A realistic clock: at epoch 0, seconds and milliseconds cannot be told apart. */
export const NOW = Date.parse("2026-12-01T12:00:00Z")
export const PUBLIC_URL = "https://switchboard.test/base"
export const RETURN_ORIGIN = "https://app.example"
export const tenantA = TenantId.make("ten_a")
export const tenantB = TenantId.make("ten_b")

type RefreshAnswer = "rotate" | "revoked" | "error"

/** The simulated vendor: set what it answers, read what it was asked. */
export class Vendor {
  refresh: RefreshAnswer = "rotate"
  revokeFails = false
  /** Seconds the access tokens it issues live; undefined: they do not expire. */
  tokenLifetime: number | undefined = 3600
  refreshes = 0
  adoptions = 0
  adoptFails = false
  /** Runs before each refresh answer (e.g. another instance storing tokens meanwhile). */
  beforeRefresh: Effect.Effect<void> = Effect.void
  readonly refreshApps: Array<Option.Option<string>> = []
  readonly revoked: Array<{ token: string; app: Option.Option<string> }> = []
  readonly exchanges: Array<{ code: string; redirectUri: string; verifier: Option.Option<string>; app: Option.Option<string> }> = []
  readonly toolCalls: Array<{ tool: string; token: string }> = []
  /** Access tokens the vendor refuses (as if revoked early). */
  readonly refused = new Set<string>()

  tokens(access: string, refresh: string | undefined = `ref-${access}`, now = NOW): TokenSet {
    return tokenSet({ accessToken: access, refreshToken: refresh, expiresInSeconds: this.tokenLifetime, now, scopes: ["all"] })
  }

  grant(code: string): InstallGrant {
    return { externalAccountId: `acct-${code}`, displayName: `Widgets ${code}`, tokens: this.tokens(`tok-${code}`), metadata: { code } }
  }
}

const appId = (app: Option.Option<AppContext>) => Option.map(app, (context) => context.registration.id)

export const widgets = (vendor: Vendor): IntegrationProvider => ({
  id: ProviderId.make("widgets"),
  displayName: "Widgets",
  description: "A simulated vendor",
  install: [
    {
      _tag: "OAuth",
      pkce: true,
      authorizationUrl: ({ state, redirectUri, codeChallenge, app }) =>
        Effect.succeed(
          `https://widgets.example/authorize?${new URLSearchParams({
            state,
            redirect_uri: redirectUri,
            code_challenge: Option.getOrElse(codeChallenge, () => ""),
            client_id: Option.getOrElse(appId(app), () => "deployment")
          })}`
        ),
      exchange: ({ code, redirectUri, codeVerifier, app }) =>
        Effect.sync(() => {
          vendor.exchanges.push({ code, redirectUri, verifier: codeVerifier, app: appId(app) })
          return vendor.grant(code)
        }),
      adopt: ({ externalAccountId }) =>
        Effect.suspend(() => {
          vendor.adoptions++
          return vendor.adoptFails
            ? Effect.fail(new InstallError({ reason: "VendorRejected", message: "the vendor does not know this installation" }))
            : Effect.succeed({ ...vendor.grant("adopted"), externalAccountId })
        }),
      refresh: Option.some((tokens: TokenSet, app?: Option.Option<AppContext>) =>
        Effect.andThen(Effect.suspend(() => vendor.beforeRefresh), Clock.currentTimeMillis).pipe(Effect.flatMap((now) => {
          vendor.refreshes++
          vendor.refreshApps.push(appId(app ?? Option.none()))
          if (vendor.refresh === "revoked") return Effect.fail(new InstallError({ reason: "GrantRevoked", message: "grant revoked" }))
          if (vendor.refresh === "error") return Effect.fail(new InstallError({ reason: "VendorRejected", message: "vendor down" }))
          return Effect.succeed(vendor.tokens(`${Redacted.value(tokens.accessToken)}+`, undefined, now))
        }))
      ),
      revoke: Option.some((tokens: TokenSet, app?: Option.Option<AppContext>) =>
        vendor.revokeFails
          ? Effect.fail(new InstallError({ reason: "VendorRejected", message: "revocation endpoint down" }))
          : Effect.sync(() => void vendor.revoked.push({ token: Redacted.value(tokens.accessToken), app: appId(app ?? Option.none()) }))
      )
    },
    {
      _tag: "Credentials",
      fields: [
        { name: "apiKey", label: "API key", secret: true, description: "" },
        { name: "site", label: "Site", secret: false, description: "" }
      ],
      validate: (fields) =>
        Redacted.value(fields["apiKey"]!) === "bad"
          ? Effect.fail(new InstallError({ reason: "InvalidCredentials", message: "Widgets does not know this key" }))
          : Effect.succeed({ ...vendor.grant(`paste-${Redacted.value(fields["site"]!)}`), tokens: vendor.tokens(Redacted.value(fields["apiKey"]!), undefined) })
    }
  ],
  registration: {
    fields: [
      { name: "clientId", label: "Client id", secret: false, description: "" },
      { name: "clientSecret", label: "Client secret", secret: true, description: "" }
    ],
    validate: (fields, urls) =>
      Effect.succeed({
        externalAppId: Redacted.value(fields["clientId"]!),
        displayName: "Vendor's name for the app",
        metadata: { webhookUrl: urls.webhookUrl },
        secrets: { clientSecret: fields["clientSecret"]! }
      }),
    manifestFlow: {
      start: ({ state, urls }) => Effect.succeed({ _tag: "FormPost", url: "https://widgets.example/apps/new", fields: { state, hook: urls.webhookUrl } }),
      convert: ({ query }) =>
        Effect.succeed({
          externalAppId: `app-${query.get("code")}`,
          displayName: "Manifest app",
          metadata: {},
          secrets: { clientSecret: Redacted.make("manifest-secret") }
        })
    }
  },
  webhook: noWebhook,
  tools: [
    defineTool({
      name: "read",
      title: "Read",
      description: "Reads",
      input: Schema.Struct({ id: Schema.String }),
      scope: "widgets:read",
      annotations: { readOnly: true, destructive: false, idempotent: true },
      execute: ({ id }, context) =>
        Effect.suspend(() => {
          const token = Redacted.value(context.accessToken)
          vendor.toolCalls.push({ tool: "read", token })
          return vendor.refused.has(token)
            ? Effect.fail(new ToolError({ reason: "Unauthorized", message: "token refused" }))
            : Effect.succeed({ id, token, session: context.sessionKey, publication: context.publication.id })
        })
    }),
    defineTool({
      name: "write",
      title: "Write",
      description: "Writes",
      input: Schema.Struct({ body: Schema.String }),
      scope: "widgets:write",
      annotations: { readOnly: false, destructive: false, idempotent: false },
      execute: ({ body }) => Effect.sync(() => (vendor.toolCalls.push({ tool: "write", token: body }), { written: body }))
    })
  ],
  scopes: [{ name: "widgets:read", description: "" }, { name: "widgets:write", description: "" }],
  granularities: ["workspace"],
  filters: []
})

/** A vendor with OAuth only: no PKCE, no refresh, no revocation, no adoption, no tenant apps. */
export const gadgets: IntegrationProvider = {
  id: ProviderId.make("gadgets"),
  displayName: "Gadgets",
  description: "A plain OAuth vendor",
  install: [{
    _tag: "OAuth",
    pkce: false,
    authorizationUrl: ({ state, codeChallenge }) =>
      Effect.succeed(`https://gadgets.example/authorize?state=${state}&challenge=${Option.getOrElse(codeChallenge, () => "none")}`),
    exchange: ({ code }) =>
      Effect.succeed({
        externalAccountId: `acct-${code}`,
        displayName: `Gadgets ${code}`,
        tokens: tokenSet({ accessToken: `g-${code}`, now: NOW, expiresInSeconds: 30, scopes: [] }),
        metadata: {}
      }),
    refresh: Option.none(),
    revoke: Option.none()
  }],
  webhook: noWebhook,
  tools: [
    defineTool({
      name: "read",
      title: "Read",
      description: "Reads",
      input: Schema.Struct({}),
      scope: "widgets:read",
      annotations: { readOnly: true, destructive: false, idempotent: true },
      execute: () => Effect.succeed("gadget")
    })
  ],
  scopes: [{ name: "widgets:read", description: "" }],
  granularities: ["workspace"],
  filters: []
}

/**
 * Widgets' twin with tenant-owned apps by paste only (no manifest flow), no tools, and its
 * credential paste listed before its OAuth (the kernel must look the OAuth method up by tag).
 */
export const sprockets = (vendor: Vendor): IntegrationProvider => {
  const base = widgets(vendor)
  const { manifestFlow: _manifestFlow, ...registration } = base.registration!
  return { ...base, id: ProviderId.make("sprockets"), displayName: "Sprockets", registration, tools: [], install: [...base.install].reverse() }
}

/** A vendor with credential paste only. */
export const pasties: IntegrationProvider = {
  id: ProviderId.make("pasties"),
  displayName: "Pasties",
  description: "A paste-only vendor",
  install: [{
    _tag: "Credentials",
    fields: [{ name: "token", label: "Token", secret: true, description: "" }],
    validate: () => Effect.succeed({ externalAccountId: "p", displayName: "P", tokens: tokenSet({ accessToken: "p", now: 0, scopes: [] }), metadata: {} })
  }],
  webhook: noWebhook,
  tools: [],
  scopes: [],
  granularities: ["workspace"],
  filters: []
}

export const config = (overrides: Partial<KernelConfig["Service"]> = {}) =>
  KernelConfig.of({
    publicUrl: PUBLIC_URL,
    signingKey: Redacted.make("s".repeat(48)),
    vaultKeys: [{ id: "k1", key: Redacted.make(base64Encode(new Uint8Array(32).fill(7))) }],
    adminToken: Option.none(),
    returnUrlOrigins: [new URL(PUBLIC_URL).origin, RETURN_ORIGIN, "https://second.example"],
    maxBodyBytes: 1024 * 1024,
    tenantLimits: { webhooksPerMinute: 0, toolCallsPerMinute: 0 },
    ...overrides
  })

/** Install, InstallationTokens, Registrations, Revocation and Tools over fresh in-memory stores. */
export const installWorld = (
  vendor: Vendor,
  overrides: Partial<KernelConfig["Service"]> = {},
  providers: ReadonlyArray<IntegrationProvider> = []
) =>
  Tools.layer.pipe(
    Layer.provideMerge(Install.layer),
    Layer.provideMerge(InstallationTokens.layer),
    Layer.provideMerge(Registrations.layer),
    Layer.provideMerge(Revocation.layer),
    Layer.provideMerge(Vault.layer),
    Layer.provideMerge(Limits.layer),
    Layer.provideMerge(ToolCallCounts.layer),
    Layer.provideMerge(
      Layer.mergeAll(
        storesInMemory,
        Layer.succeed(Registry, Registry.make([widgets(vendor), gadgets, pasties, sprockets(vendor), ...providers])),
        Layer.succeed(KernelConfig, config(overrides)),
        FetchHttpClient.layer
      )
    )
  )

/** An active workspace publication of `installation` for agent "agent", created at `NOW`. */
export const publicationOf = (installation: Installation, overrides: Partial<Publication> = {}): Publication => ({
  id: PublicationId.make(`pub_${installation.providerId}_${installation.tenantId}`),
  tenantId: installation.tenantId,
  installationId: installation.id,
  agentId: "agent",
  scopes: [],
  granularity: "workspace",
  filters: {},
  status: "active",
  createdAt: NOW,
  updatedAt: NOW,
  ...overrides
})

/** A tenant with an installation of `providerId` holding `tokens`, and a publication of it. */
export const seed = Effect.fnUntraced(function*(options: {
  readonly tenantId?: TenantId
  readonly providerId?: string
  readonly tokens: TokenSet
  readonly scopes?: ReadonlyArray<string>
  readonly registrationId?: string | null
  readonly externalAccountId?: string
}) {
  const tenantId = options.tenantId ?? tenantA
  const providerId = ProviderId.make(options.providerId ?? "widgets")
  const tenants = yield* TenantStore
  if (Option.isNone(yield* tenants.getTenant(tenantId))) yield* tenants.createTenant({ id: tenantId, name: `Tenant ${tenantId}`, createdAt: NOW })
  const installationId = InstallationId.make(`ins_${providerId}_${tenantId}`)
  const installation: Installation = {
    id: installationId,
    tenantId,
    providerId,
    externalAccountId: options.externalAccountId ?? `acct-${tenantId}`,
    displayName: "Seeded",
    status: "active",
    grantedScopes: [],
    registrationId: options.registrationId ?? null,
    metadata: {},
    createdAt: NOW,
    updatedAt: NOW
  }
  const sealed = yield* sealTokens(yield* Vault, tenantId, installationId, options.tokens)
  yield* (yield* InstallationStore).upsert(installation, { sealed, expiresAt: Option.getOrNull(options.tokens.expiresAt) })
  const publication = publicationOf(installation, {
    id: PublicationId.make(`pub_${providerId}_${tenantId}`),
    scopes: options.scopes ?? ["widgets:read", "widgets:write"]
  })
  yield* (yield* PublicationStore).insert(publication)
  return { installation, publication }
})

export type { AppRegistration }

/** Runs `body` with `vendor` in a fresh `installWorld`, the test clock set to `NOW`. */
export const inInstallWorld = <A, E, R>(body: (vendor: Vendor) => Effect.Effect<A, E, R>, vendor = new Vendor()) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(NOW)
    return yield* body(vendor)
  }).pipe(Effect.provide(installWorld(vendor)))

/** The access token of a token set, as the vendor issued it. */
export const accessOf = (tokens: { readonly accessToken: Redacted.Redacted<string> }) => Redacted.value(tokens.accessToken)
