/**
 * The Publications service on its own layer, over the SQL stores in memory and the registered
 * providers (Linear: scopes such as issues:read, granularities workspace and issue, filters team
 * and trigger). Installations are written straight to the store.
 */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Deferred, Effect, Layer, Option, Result } from "effect"
import { HttpServerResponse } from "effect/http"
import { ProviderId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import { errorResponse } from "../../kernel/http/Respond.ts"
import type { Installation } from "../../kernel/domain/Installation.ts"
import { Revocation } from "../../kernel/install/Revocation.ts"
import { PublicationError } from "../../kernel/publications/PublicationError.ts"
import { type CreatePublication, Publications } from "../../kernel/publications/Publications.ts"
import { Registry } from "../../kernel/registry/Registry.ts"
import { InstallationStore } from "../../kernel/store/InstallationStore.ts"
import { PublicationStore } from "../../kernel/store/PublicationStore.ts"
import { providers } from "../../providers/index.ts"
import { installation, secret } from "../store/fixtures.ts"
import { storesInMemory } from "../support/storesInMemory.ts"

const TestLayer = Layer.mergeAll(Publications.layer, Revocation.layer).pipe(
  Layer.provideMerge(Layer.mergeAll(storesInMemory, Registry.layer(providers))),
  Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({})))
)

/**
 * The store under a race: each `listByInstallation` (the uniqueness check) answers only once two
 * have been asked, so two concurrent creates both find the installation free before either writes.
 */
const racingStore = Layer.effect(
  PublicationStore,
  Effect.gen(function*() {
    const store = yield* PublicationStore
    const bothChecked = yield* Deferred.make<void>()
    let checks = 0
    return PublicationStore.of({
      ...store,
      listByInstallation: (tenantId, installationId) =>
        Effect.tap(store.listByInstallation(tenantId, installationId), () =>
          ++checks === 2 ? Deferred.succeed(bothChecked, undefined) : Deferred.await(bothChecked))
    })
  })
)

const RacingLayer = Publications.layer.pipe(
  Layer.provide(racingStore),
  Layer.provideMerge(Layer.mergeAll(storesInMemory, Registry.layer(providers))),
  Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({})))
)

const acme = TenantId.make("ten_acme")
const globex = TenantId.make("ten_globex")

const installed = (tenantId: TenantId, id: string, overrides: Partial<Installation> = {}) =>
  Effect.gen(function*() {
    const stored = installation(tenantId, id, { externalAccountId: `org_${id}`, ...overrides })
    return yield* (yield* InstallationStore).upsert(stored, secret(`sealed_${id}`))
  })

const input = (installationId: string, overrides: Partial<CreatePublication> = {}): CreatePublication => ({
  installationId,
  agentId: "agent-1",
  scopes: ["issues:read"],
  granularity: "issue",
  ...overrides
})

/** The refusal an effect fails with (dies if it succeeds or fails otherwise). */
const refusal = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.flip(effect), (error) =>
    error instanceof PublicationError ? Effect.succeed(error) : Effect.die(new Error(`expected a PublicationError, got ${String(error)}`)))

describe("Publications", () => {
  it.effect("creates a publication checked against its provider, scopes deduplicated, active on an active installation", () =>
    Effect.gen(function*() {
      const publications = yield* Publications
      const { id } = yield* installed(acme, "ins_1")
      const created = yield* publications.create(acme, input(id, { scopes: ["issues:read", "issues:read"], filters: { team: ["ENG"] } }))
      expect(created).toMatchObject({ tenantId: acme, installationId: id, agentId: "agent-1", scopes: ["issues:read"], status: "active" })
      expect(created.id).toMatch(/^pub_/)
      expect(yield* publications.get(acme, created.id)).toEqual(created)
      expect(yield* publications.list(acme)).toEqual([created])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("refuses scopes, granularities and filters the provider does not declare", () =>
    Effect.gen(function*() {
      const publications = yield* Publications
      const { id } = yield* installed(acme, "ins_1")
      const scope = yield* refusal(publications.create(acme, input(id, { scopes: ["issues:read", "repos:admin"] })))
      expect(scope).toMatchObject({ reason: "Invalid", message: "Unknown scopes for linear: repos:admin" })
      const granularity = yield* refusal(publications.create(acme, input(id, { granularity: "thread" })))
      expect(granularity).toMatchObject({ reason: "Invalid", message: "linear supports granularities: workspace, issue" })
      const filter = yield* refusal(publications.create(acme, input(id, { filters: { channel: ["general"] } })))
      expect(filter).toMatchObject({ reason: "Invalid", message: "Unknown filters for linear: channel" })
      const created = yield* publications.create(acme, input(id))
      const update = yield* refusal(publications.update(acme, created.id, { scopes: ["nope"] }))
      expect(update.reason).toBe("Invalid")
      expect(yield* publications.list(acme)).toEqual([created])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a publication that names no granularity gets its provider's natural unit", () =>
    Effect.gen(function*() {
      const publications = yield* Publications
      const expected = { linear: "issue", github: "issue", slack: "thread", jira: "issue" } as const
      for (const [providerId, granularity] of Object.entries(expected)) {
        const { id } = yield* installed(acme, `ins_${providerId}`, { providerId: ProviderId.make(providerId) })
        const { granularity: _omitted, ...unnamed } = input(id, { scopes: [] })
        expect((yield* publications.create(acme, unnamed)).granularity).toBe(granularity)
      }
      // A granularity named explicitly is kept, workspace included.
      const { id } = yield* installed(acme, "ins_workspace", { providerId: ProviderId.make("slack") })
      expect((yield* publications.create(acme, input(id, { scopes: [], granularity: "workspace" }))).granularity).toBe("workspace")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("refuses a second publication of the same agent on the same installation", () =>
    Effect.gen(function*() {
      const publications = yield* Publications
      const first = yield* installed(acme, "ins_1")
      const second = yield* installed(acme, "ins_2")
      const original = yield* publications.create(acme, input(first.id))
      const duplicate = yield* refusal(publications.create(acme, input(first.id, { scopes: ["comments:write"], granularity: "workspace" })))
      expect(duplicate.reason).toBe("Conflict")
      expect(duplicate.message).toBe(
        `Agent agent-1 is already published on installation ${first.id} (publication ${original.id}); update that publication instead`
      )
      // Another agent there, or the same agent on another installation, is fine.
      const other = yield* publications.create(acme, input(first.id, { agentId: "agent-2" }))
      yield* publications.create(acme, input(second.id))
      // Renaming onto a taken agent is the same duplicate; keeping one's own name is not.
      const renamed = yield* refusal(publications.update(acme, other.id, { agentId: "agent-1" }))
      expect(renamed.reason).toBe("Conflict")
      expect((yield* publications.update(acme, original.id, { agentId: "agent-1", granularity: "workspace" })).granularity).toBe("workspace")
      expect((yield* publications.list(acme)).map((publication) => publication.agentId).sort()).toEqual(["agent-1", "agent-1", "agent-2"])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("of two creates of the same agent that both pass the check, one is stored and the other is the same Conflict", () =>
    Effect.gen(function*() {
      const publications = yield* Publications
      const { id } = yield* installed(acme, "ins_1")
      const outcomes = yield* Effect.all([publications.create(acme, input(id)), publications.create(acme, input(id))].map(Effect.result), {
        concurrency: 2
      })
      const stored = outcomes.flatMap((outcome) => Result.isSuccess(outcome) ? [outcome.success] : [])
      const refused = outcomes.flatMap((outcome) => Result.isFailure(outcome) ? [outcome.failure] : [])
      expect(stored).toHaveLength(1)
      expect(refused).toEqual([expect.objectContaining({
        reason: "Conflict",
        message: `Agent agent-1 is already published on installation ${id} (publication ${stored[0]!.id}); update that publication instead`
      })])
      expect((yield* publications.list(acme)).map((publication) => publication.id)).toEqual([stored[0]!.id])
    }).pipe(Effect.provide(RacingLayer)))

  it.effect("is scoped by tenant: another tenant's installation and publications do not exist", () =>
    Effect.gen(function*() {
      const publications = yield* Publications
      const acmeInstallation = yield* installed(acme, "ins_1")
      const globexInstallation = yield* installed(globex, "ins_2")
      const mine = yield* publications.create(acme, input(acmeInstallation.id))
      const foreign = yield* refusal(publications.create(globex, input(acmeInstallation.id)))
      expect(foreign).toMatchObject({ reason: "NotFound", message: "No such installation" })
      // The same agent on the other tenant's own installation is its own business.
      yield* publications.create(globex, input(globexInstallation.id))
      expect((yield* refusal(publications.get(globex, mine.id))).reason).toBe("NotFound")
      expect((yield* refusal(publications.update(globex, mine.id, { status: "paused" }))).reason).toBe("NotFound")
      expect((yield* refusal(publications.delete(globex, mine.id))).reason).toBe("NotFound")
      expect(yield* publications.list(acme)).toEqual([mine])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("pauses and resumes; a revoked installation starts paused and cannot be resumed until reactivated", () =>
    Effect.gen(function*() {
      const publications = yield* Publications
      const revocation = yield* Revocation
      const active = yield* installed(acme, "ins_1")
      const publication = yield* publications.create(acme, input(active.id))
      expect((yield* publications.pause(acme, publication.id)).status).toBe("paused")
      expect((yield* publications.resume(acme, publication.id)).status).toBe("active")

      yield* revocation.revoke(active, "uninstalled")
      expect((yield* publications.get(acme, publication.id)).status).toBe("paused")
      const later = yield* publications.create(acme, input(active.id, { agentId: "agent-2" }))
      expect(later.status).toBe("paused")
      const refused = yield* refusal(publications.resume(acme, publication.id))
      expect(refused).toMatchObject({ reason: "Conflict", message: `Installation ${active.id} is revoked: install it again to resume its publications` })

      yield* revocation.reactivate(active, "the vendor lifted a suspension")
      const reactivated = yield* (yield* InstallationStore).get(acme, active.id)
      expect(Option.map(reactivated, (found) => found.status)).toEqual(Option.some("active"))
      expect((yield* publications.list(acme)).map((entry) => entry.status)).toEqual(["active", "active"])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("deletes once; an unknown publication is NotFound", () =>
    Effect.gen(function*() {
      const publications = yield* Publications
      const { id } = yield* installed(acme, "ins_1")
      const publication = yield* publications.create(acme, input(id))
      yield* publications.delete(acme, publication.id)
      expect(yield* publications.list(acme)).toEqual([])
      expect((yield* refusal(publications.delete(acme, publication.id))).reason).toBe("NotFound")
      const missing = yield* refusal(publications.update(acme, PublicationId.make("pub_missing"), { status: "paused" }))
      expect(missing).toMatchObject({ reason: "NotFound", message: "No such publication" })
      expect((yield* refusal(publications.create(acme, input("ins_missing")))).message).toBe("No such installation")
    }).pipe(Effect.provide(TestLayer)))

  it("the management API answers each refusal with its status and the API's reason", async () => {
    const answers = await Promise.all((["NotFound", "Invalid", "Conflict"] as const).map(async (reason) => {
      const response = HttpServerResponse.toWeb(errorResponse(new PublicationError({ reason, message: "why" })))
      return [reason, response.status, await response.json()]
    }))
    expect(answers).toEqual([
      ["NotFound", 404, { error: { reason: "NotFound", message: "why" } }],
      ["Invalid", 400, { error: { reason: "BadRequest", message: "why" } }],
      ["Conflict", 409, { error: { reason: "Conflict", message: "why" } }]
    ])
  })
})
