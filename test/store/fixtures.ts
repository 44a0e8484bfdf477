/**
 * Fixtures and assertions for the store conformance suite. Runtime neutral (it runs on Node,
 * Bun, Deno and workerd): no test framework, no node: modules. A failed expectation dies with
 * an Error saying what differed.
 */
import { Effect, Option } from "effect"
import type { SqlClient } from "effect/sql"
import type { Stores } from "../../adapters/sql/StoresSql.ts"
import { type AppRegistration, AppRegistrationId } from "../../kernel/domain/AppRegistration.ts"
import {
  EventId,
  InstallationId,
  ProviderId,
  PublicationId,
  SessionKey,
  TenantId
} from "../../kernel/domain/Ids.ts"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Publication } from "../../kernel/domain/Publication.ts"
import type { SessionDispatch } from "../../kernel/domain/SessionDispatch.ts"
import type { WebhookEvent } from "../../kernel/domain/WebhookEvent.ts"
import type { LimitBucketStore } from "../../kernel/store/LimitBucketStore.ts"
import { type InstallationSecret, InstallationStore } from "../../kernel/store/InstallationStore.ts"
import { type OutboxEntry, OutboxStore } from "../../kernel/store/OutboxStore.ts"
import { PublicationStore } from "../../kernel/store/PublicationStore.ts"
import { type SessionBinding, SessionBindingStore } from "../../kernel/store/SessionBindingStore.ts"
import { TenantStore } from "../../kernel/store/TenantStore.ts"
import { WebhookEventStore } from "../../kernel/store/WebhookEventStore.ts"

export type Engine = "sqlite" | "d1" | "postgres"

/** One conformance case: an effect over the stores (and the raw client) that dies on failure. */
export interface StoreCase {
  readonly name: string
  /** The engines it applies to; all when absent (transactions are SQLite's only). */
  readonly engines?: ReadonlyArray<Engine>
  readonly body: Effect.Effect<void, unknown, Stores | LimitBucketStore | SqlClient.SqlClient>
}

export const T0 = 1_750_000_000_000
export const tenantA = TenantId.make("ten_a")
export const tenantB = TenantId.make("ten_b")
export const linear = ProviderId.make("linear")
export const github = ProviderId.make("github")

/** Text that breaks naive JSON or SQL handling: quotes, backslashes, non-ASCII, an emoji. */
export const awkward = `it's "quoted" \\ back\\slash; -- not a comment; ünïcödé 漢字 🚀`

// ---- assertions -------------------------------------------------------------------------------

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null

export const deepEqual = (actual: unknown, expected: unknown): boolean => {
  if (Object.is(actual, expected)) return true
  if (Array.isArray(actual) || Array.isArray(expected)) {
    return Array.isArray(actual) && Array.isArray(expected) && actual.length === expected.length &&
      actual.every((item, index) => deepEqual(item, expected[index]))
  }
  if (!isObject(actual) || !isObject(expected)) return false
  const keys = Object.keys(actual)
  return keys.length === Object.keys(expected).length &&
    keys.every((key) => Object.hasOwn(expected, key) && deepEqual(actual[key], expected[key]))
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value, (_key, item) => typeof item === "bigint" ? `${item}n` : item)
  return text === undefined ? String(value) : text.length > 600 ? `${text.slice(0, 600)}...` : text
}

const fail = (message: string) => Effect.die(new Error(message))

export const expectEqual = <A>(actual: A, expected: A, what: string): Effect.Effect<void> =>
  Effect.suspend(() =>
    deepEqual(actual, expected) ? Effect.void : fail(`${what}:\n  expected ${show(expected)}\n  actual   ${show(actual)}`)
  )

export const expectTrue = (condition: boolean, what: string): Effect.Effect<void> =>
  Effect.suspend(() => condition ? Effect.void : fail(what))

export const expectSome = <A>(option: Option.Option<A>, what: string): Effect.Effect<A> =>
  Option.isSome(option) ? Effect.succeed(option.value) : fail(`${what}: expected Some, got None`)

export const expectNone = <A>(option: Option.Option<A>, what: string): Effect.Effect<void> =>
  Option.isNone(option) ? Effect.void : fail(`${what}: expected None, got ${show(option.value)}`)

/** Runs `effect`, which must fail with a StoreError naming `operation`. */
export const expectStoreError = <A, R>(
  effect: Effect.Effect<A, { readonly _tag: string; readonly operation?: string }, R>,
  operation: string
): Effect.Effect<void, never, R> =>
  Effect.flatMap(Effect.flip(effect), (error) =>
    error._tag === "StoreError" && error.operation === operation
      ? Effect.void
      : fail(`expected StoreError(${operation}), got ${error._tag}(${error.operation ?? ""})`))
    .pipe(Effect.catchCause(() => fail(`expected StoreError(${operation}), but the effect succeeded or died`)))

// ---- builders ---------------------------------------------------------------------------------

export const installation = (tenantId: TenantId, id: string, overrides: Partial<Installation> = {}): Installation => ({
  id: InstallationId.make(id),
  tenantId,
  providerId: linear,
  externalAccountId: "org_1",
  displayName: "Acme",
  status: "active",
  grantedScopes: ["read", "write"],
  registrationId: null,
  metadata: { appUserId: "u_1", note: awkward },
  createdAt: T0,
  updatedAt: T0,
  ...overrides
})

export const secret = (ciphertext: string, expiresAt: number | null = T0 + 3_600_000): InstallationSecret => ({
  sealed: { keyId: "k1", ciphertext },
  expiresAt
})

export const appRegistration = (
  tenantId: TenantId,
  id: string,
  overrides: Partial<AppRegistration> = {}
): AppRegistration => ({
  id: AppRegistrationId.make(id),
  tenantId,
  providerId: github,
  status: "pending",
  externalAppId: null,
  displayName: "Acme's GitHub App",
  metadata: { owner: "acme", note: awkward },
  createdAt: T0,
  updatedAt: T0,
  ...overrides
})

export const publication = (
  tenantId: TenantId,
  id: string,
  installationId: string,
  overrides: Partial<Publication> = {}
): Publication => ({
  id: PublicationId.make(id),
  tenantId,
  installationId: InstallationId.make(installationId),
  agentId: "agent_1",
  scopes: ["issues:read", "comments:write"],
  granularity: "issue",
  filters: { team: ["ENG", "OPS"], label: [awkward] },
  status: "active",
  createdAt: T0,
  updatedAt: T0,
  ...overrides
})

export const webhookEvent = (tenantId: TenantId, id: string, overrides: Partial<WebhookEvent> = {}): WebhookEvent => ({
  id: EventId.make(id),
  tenantId,
  providerId: linear,
  deliveryId: `dlv_${id}`,
  eventType: "Issue.create",
  externalAccountId: "org_1",
  status: "received",
  reason: null,
  headers: { "content-type": "application/json", "linear-signature": "abc", "x-note": awkward },
  body: JSON.stringify({ action: "create", data: { title: awkward } }),
  receivedAt: T0,
  updatedAt: T0,
  ...overrides
})

export const binding = (
  tenantId: TenantId,
  publicationId: string,
  sessionKey: string,
  sessionId: string,
  at = T0
): SessionBinding => ({
  tenantId,
  publicationId: PublicationId.make(publicationId),
  sessionKey: SessionKey.make(sessionKey),
  sessionId,
  status: "live",
  createdAt: at,
  updatedAt: at
})

export const dispatch = (tenantId: TenantId, id: string, eventId: string): SessionDispatch => ({
  id,
  tenantId,
  providerId: linear,
  installationId: InstallationId.make("ins_1"),
  publicationId: PublicationId.make("pub_1"),
  agentId: "agent_1",
  eventId: EventId.make(eventId),
  deliveryId: `dlv_${eventId}`,
  eventType: "Comment.create",
  mode: "create",
  sessionKey: SessionKey.make("linear:issue:ENG-1"),
  sessionId: "ses_1",
  prompt: awkward,
  stop: false,
  // Every JSON shape: nesting, arrays, numbers, booleans, null, awkward strings.
  context: { issue: { id: "ENG-1", title: awkward, labels: ["a", "b"], estimate: 2.5, open: true, parent: null } },
  actor: { id: "user_1", name: null },
  createdAt: T0
})

export const outboxEntry = (
  tenantId: TenantId,
  id: string,
  overrides: Partial<OutboxEntry> = {}
): OutboxEntry => ({
  id,
  tenantId,
  eventId: EventId.make("evt_1"),
  dispatch: dispatch(tenantId, id, "evt_1"),
  status: "pending",
  attempts: 0,
  nextAttemptAt: T0,
  lastError: null,
  createdAt: T0,
  updatedAt: T0,
  ...overrides
})

export const ids = <A extends { readonly id: string }>(items: ReadonlyArray<A>): ReadonlyArray<string> =>
  items.map((item) => item.id)

/** Every store, after tenant A with one installation (`ins_1`) and one publication of it (`pub_1`). */
export const seededStores = Effect.gen(function*() {
  const stores = {
    tenants: yield* TenantStore,
    installations: yield* InstallationStore,
    publications: yield* PublicationStore,
    events: yield* WebhookEventStore,
    outbox: yield* OutboxStore,
    sessions: yield* SessionBindingStore
  }
  yield* stores.tenants.createTenant({ id: tenantA, name: "a", createdAt: T0 })
  yield* stores.installations.upsert(installation(tenantA, "ins_1"), secret("sealed"))
  yield* stores.publications.insert(publication(tenantA, "pub_1", "ins_1"))
  return stores
})
