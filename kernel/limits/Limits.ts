/**
 * Per-tenant limits on webhooks and on MCP tool calls: one token bucket per tenant and kind,
 * holding up to a minute's allowance and refilling continuously, so a tenant may burst up to
 * its per-minute limit and then goes at that rate. Past it the caller gets `LimitExceeded`
 * with the seconds until the next request can pass (the gateway's 429 `Retry-After`).
 *
 * What it does not do: the buckets live in this process's memory. Each instance counts on its
 * own (several instances behind a balancer each allow the full rate) and a restart forgets
 * them. Sharing them through a shared database for multi-instance deployments is not built yet.
 *
 * Webhooks are counted once their tenants are known (after the signature is verified, so
 * unsigned traffic never spends a tenant's allowance). A delivery that belongs to several
 * tenants passes only when each has room, and then costs each one; deliveries no tenant owns
 * share one bucket of their own.
 */
import { Clock, Context, Effect, Layer, Option } from "effect"
import { UNROUTED_TENANT } from "../domain/WebhookEvent.ts"
import { defaultTenantLimits, KernelConfig, type TenantLimits } from "../KernelConfig.ts"
import { LimitExceeded, type LimitKind } from "./LimitExceeded.ts"

interface Bucket {
  tokens: number
  updatedAt: number
}

/** Past this many buckets, full ones (tenants idle for a minute) are dropped: they equal a new one. */
const PRUNE_ABOVE = 10_000

const perMinuteOf = (limits: TenantLimits, kind: LimitKind) =>
  kind === "webhooks" ? limits.webhooksPerMinute : limits.toolCallsPerMinute

const messageOf: Record<LimitKind, string> = {
  webhooks: "Too many webhooks for this workspace",
  toolCalls: "Too many tool calls for this workspace"
}

export class Limits extends Context.Service<Limits, {
  /**
   * Admits a verified webhook for the installations that own it and, when it came to a tenant's
   * app URL (`AppContext`), that app's tenant.
   */
  readonly admitWebhook: (
    owners: ReadonlyArray<{ readonly tenantId: string }>,
    app: Option.Option<{ readonly registration: { readonly tenantId: string } }>
  ) => Effect.Effect<void, LimitExceeded>
  readonly admitToolCall: (tenantId: string) => Effect.Effect<void, LimitExceeded>
}>()("switchboard/limits/Limits") {
  static readonly make = (limits: TenantLimits) =>
    Effect.sync(() => {
      const buckets = new Map<string, Bucket>()
      // Raised after each prune so that many busy tenants do not make every request scan them all.
      let pruneAbove = PRUNE_ABOVE

      const levelAt = (bucket: Bucket | undefined, perMinute: number, now: number) =>
        bucket === undefined
          ? perMinute
          : Math.min(perMinute, bucket.tokens + (Math.max(0, now - bucket.updatedAt) * perMinute) / 60_000)

      const prune = (now: number) => {
        if (buckets.size <= pruneAbove) return
        for (const [key, bucket] of buckets) {
          const kind: LimitKind = key.startsWith("webhooks:") ? "webhooks" : "toolCalls"
          const perMinute = perMinuteOf(limits, kind)
          if (levelAt(bucket, perMinute, now) >= perMinute) buckets.delete(key)
        }
        pruneAbove = Math.max(PRUNE_ABOVE, buckets.size * 2)
      }

      /** All or nothing: a request that one tenant has no room for costs none of them. */
      const admit = (kind: LimitKind, tenantIds: ReadonlyArray<string>) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const perMinute = perMinuteOf(limits, kind)
          if (perMinute <= 0) return Effect.void
          const keys = [...new Set(tenantIds)].map((tenantId) => `${kind}:${tenantId}`)
          const levels = keys.map((key) => levelAt(buckets.get(key), perMinute, now))
          const shortest = Math.min(...levels)
          if (shortest < 1) {
            const waitMs = ((1 - shortest) * 60_000) / perMinute
            return Effect.fail(
              new LimitExceeded({ kind, message: messageOf[kind], retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) })
            )
          }
          keys.forEach((key, index) => buckets.set(key, { tokens: levels[index]! - 1, updatedAt: now }))
          prune(now)
          return Effect.void
        })

      return Limits.of({
        admitWebhook: (owners, app) => {
          const tenants = new Set<string>(owners.map((installation) => installation.tenantId))
          if (Option.isSome(app)) tenants.add(app.value.registration.tenantId)
          return admit("webhooks", tenants.size > 0 ? [...tenants] : [UNROUTED_TENANT])
        },
        admitToolCall: (tenantId) => admit("toolCalls", [tenantId])
      })
    })

  static readonly layer = Layer.effect(
    Limits,
    Effect.flatMap(KernelConfig, (config) => Limits.make(config.tenantLimits ?? defaultTenantLimits))
  )
}
