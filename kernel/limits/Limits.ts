/**
 * Per-tenant limits on webhooks and on MCP tool calls: one token bucket per tenant and kind,
 * holding up to a minute's allowance and refilling continuously, so a tenant may burst up to
 * its per-minute limit and then goes at that rate. Past it the caller gets `LimitExceeded`
 * with the seconds until the next request can pass (the gateway's 429 `Retry-After`).
 *
 * Where the buckets live (`Buckets.ts`): where the storage shares a database between instances
 * (Postgres; D1, whose Workers run many isolates) its layer provides a `LimitBucketStore`, and
 * the buckets are rows every instance spends from, in leases of a second's worth
 * (`SharedBuckets.ts`); without one (an embedded SQLite file, one process), in this process's
 * memory: exact, free, and forgotten at a restart.
 *
 * Webhooks are counted once their tenants are known (after the signature is verified, so
 * unsigned traffic never spends a tenant's allowance). A delivery that belongs to several
 * tenants passes only when each has room, and then costs each one; deliveries no tenant owns
 * share one bucket of their own.
 *
 * Failed authentications (a wrong API key or admin token) have buckets of their own, one per
 * client and one per tenant a failed key aimed at (its prefix names one of the tenant's keys),
 * each allowing `authFailuresPerMinute`. A client past its allowance is refused (429) before its
 * key is even looked at, valid or not: it is the client that misbehaves. Past a tenant's
 * allowance, or when the client cannot be told apart from others (no trusted address, see
 * `KernelConfig.clientIpHeader`), only failing attempts get 429 instead of 401: nobody can lock a
 * tenant, or every unidentified client, out of its own valid keys by sending wrong ones.
 */
import { Clock, Context, Effect, Layer, Option } from "effect"
import { UNROUTED_TENANT } from "../domain/WebhookEvent.ts"
import { DEFAULT_AUTH_FAILURES_PER_MINUTE, defaultTenantLimits, KernelConfig, type TenantLimits } from "../KernelConfig.ts"
import { LimitBucketStore } from "../store/LimitBucketStore.ts"
import { type Buckets, memoryBuckets } from "./Buckets.ts"
import { LimitExceeded, type LimitKind } from "./LimitExceeded.ts"
import { sharedBuckets } from "./SharedBuckets.ts"

const perMinuteOf = (limits: TenantLimits, kind: LimitKind) =>
  kind === "webhooks"
    ? limits.webhooksPerMinute
    : kind === "toolCalls"
    ? limits.toolCallsPerMinute
    : limits.authFailuresPerMinute ?? DEFAULT_AUTH_FAILURES_PER_MINUTE

const kindOfKey = (key: string): LimitKind =>
  key.startsWith("webhooks:") ? "webhooks" : key.startsWith("toolCalls:") ? "toolCalls" : "authFailures"

const messageOf: Record<LimitKind, string> = {
  webhooks: "Too many webhooks for this workspace",
  toolCalls: "Too many tool calls for this workspace",
  authFailures: "Too many failed authentications; wait before trying again"
}

/** Who failed to authenticate: the client (None when it cannot be told apart) and the tenant aimed at. */
export interface AuthParties {
  readonly client: Option.Option<string>
  readonly tenantId: Option.Option<string>
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
  /** Before a credential is checked: refuses an identified client past its failures. Spends nothing. */
  readonly admitAuthentication: (client: Option.Option<string>) => Effect.Effect<void, LimitExceeded>
  /** After a credential failed: spends one failure from each party, or refuses when one has none left. */
  readonly recordAuthFailure: (parties: AuthParties) => Effect.Effect<void, LimitExceeded>
  /** True when the buckets are this process's (no I/O): the webhook lane runs `admitWebhook` synchronously. */
  readonly inMemory: boolean
}>()("switchboard/limits/Limits") {
  /** Over `shared` when given (instances on one database), else in this process's memory. */
  static readonly make = (limits: TenantLimits, shared?: LimitBucketStore["Service"]) =>
    Effect.sync(() => {
      const buckets: Buckets = shared === undefined
        ? memoryBuckets((key) => perMinuteOf(limits, kindOfKey(key)))
        : sharedBuckets(shared)

      /** All or nothing over the parties' buckets (`Buckets.take`); `spend` false only checks. */
      const admit = (kind: LimitKind, tenantIds: ReadonlyArray<string>, spend = true) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const perMinute = perMinuteOf(limits, kind)
          if (perMinute <= 0) return Effect.void
          const parties = [...new Set(tenantIds)]
          if (parties.length === 0) return Effect.void
          const keys = parties.map((tenantId) => `${kind}:${tenantId}`)
          return Effect.flatMap(buckets.take(keys, perMinute, now, spend), (refused) =>
            refused === undefined ? Effect.void : Effect.fail(
              new LimitExceeded({
                kind,
                message: messageOf[kind],
                retryAfterSeconds: Math.max(1, Math.ceil(refused.waitMs / 1000)),
                ...(kind === "webhooks" ? { tenantId: parties[refused.key] } : {})
              })
            ))
        })

      return Limits.of({
        inMemory: buckets.inMemory,
        admitWebhook: (owners, app) => {
          const tenants = new Set<string>(owners.map((installation) => installation.tenantId))
          if (Option.isSome(app)) tenants.add(app.value.registration.tenantId)
          return admit("webhooks", tenants.size > 0 ? [...tenants] : [UNROUTED_TENANT])
        },
        admitToolCall: (tenantId) => admit("toolCalls", [tenantId]),
        admitAuthentication: (client) =>
          Option.isSome(client) ? admit("authFailures", [`client:${client.value}`], false) : Effect.void,
        recordAuthFailure: (parties) =>
          admit("authFailures", [
            `client:${Option.getOrElse(parties.client, () => "unidentified")}`,
            ...Option.toArray(Option.map(parties.tenantId, (tenantId) => `tenant:${tenantId}`))
          ])
      })
    })

  static readonly layer = Layer.effect(
    Limits,
    Effect.gen(function*() {
      const config = yield* KernelConfig
      const shared = yield* Effect.serviceOption(LimitBucketStore)
      return yield* Limits.make(config.tenantLimits ?? defaultTenantLimits, Option.getOrUndefined(shared))
    })
  )
}
