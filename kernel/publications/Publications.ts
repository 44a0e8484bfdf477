/**
 * Publications, tenant-scoped: which agent serves an installation, with which scopes,
 * granularity and filters. The rules live here, not in the routes:
 *
 * - every scope, granularity and filter is checked against what the installation's provider
 *   declares, so a publication never grants a scope or filter its provider does not know;
 * - one agent is published at most once per installation (a second one would dispatch every
 *   event twice to the same agent): the existing publication is updated instead;
 * - a publication that names no granularity gets its provider's natural unit (a Slack thread,
 *   a GitHub or Jira issue), not one session per workspace that would merge unrelated work;
 * - a publication of an installation that is not active starts paused, and cannot be resumed
 *   until the installation is active again (reinstall or the vendor lifting a suspension).
 *
 * Uniqueness is checked before the write, for a clear answer, and held by a unique index (migration
 * 0010): of two concurrent creates of the same agent, the write that loses the race fails, and is
 * answered as the check would have answered it.
 */
import { Clock, Context, Effect, Layer, Option, Schema } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import { InstallationId, PublicationId, type TenantId } from "../domain/Ids.ts"
import type { Installation } from "../domain/Installation.ts"
import { Granularity, type Publication } from "../domain/Publication.ts"
import { randomToken } from "../encoding/Encoding.ts"
import { defaultGranularityOf, type IntegrationProvider } from "../provider/Provider.ts"
import { Registry } from "../registry/Registry.ts"
import { InstallationStore } from "../store/InstallationStore.ts"
import { PublicationStore } from "../store/PublicationStore.ts"
import { PublicationError } from "./PublicationError.ts"

const AgentId = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(200))
const Filters = Schema.Record(Schema.String, Schema.Array(Schema.String))
const Scopes = Schema.Array(Schema.String)

export const CreatePublication = Schema.Struct({
  installationId: Schema.String,
  agentId: AgentId,
  scopes: Scopes,
  /** Absent: the provider's `defaultGranularity`. */
  granularity: Schema.optional(Granularity),
  filters: Schema.optional(Filters)
})
export type CreatePublication = typeof CreatePublication.Type

export const UpdatePublication = Schema.Struct({
  agentId: Schema.optional(AgentId),
  scopes: Schema.optional(Scopes),
  granularity: Schema.optional(Granularity),
  filters: Schema.optional(Filters),
  status: Schema.optional(Schema.Literals(["active", "paused"]))
})
export type UpdatePublication = typeof UpdatePublication.Type

export type PublicationFailure = PublicationError | StoreError

const invalid = (message: string) => new PublicationError({ reason: "Invalid", message })
const publicationNotFound = () => new PublicationError({ reason: "NotFound", message: "No such publication" })

const checkAgainst = (
  provider: IntegrationProvider,
  values: {
    readonly scopes?: ReadonlyArray<string> | undefined
    readonly granularity?: string | undefined
    readonly filters?: Readonly<Record<string, ReadonlyArray<string>>> | undefined
  }
): Effect.Effect<void, PublicationError> => {
  const unknownScopes = (values.scopes ?? []).filter((scope) => !provider.scopes.some((known) => known.name === scope))
  if (unknownScopes.length > 0) return Effect.fail(invalid(`Unknown scopes for ${provider.id}: ${unknownScopes.join(", ")}`))
  if (values.granularity !== undefined && !provider.granularities.some((known) => known === values.granularity)) {
    return Effect.fail(invalid(`${provider.id} supports granularities: ${provider.granularities.join(", ")}`))
  }
  const unknownFilters = Object.keys(values.filters ?? {}).filter((key) => !provider.filters.some((known) => known.key === key))
  if (unknownFilters.length > 0) return Effect.fail(invalid(`Unknown filters for ${provider.id}: ${unknownFilters.join(", ")}`))
  return Effect.void
}

export class Publications extends Context.Service<Publications, {
  readonly list: (tenantId: TenantId) => Effect.Effect<ReadonlyArray<Publication>, StoreError>
  readonly get: (tenantId: TenantId, id: PublicationId) => Effect.Effect<Publication, PublicationFailure>
  readonly create: (tenantId: TenantId, input: CreatePublication) => Effect.Effect<Publication, PublicationFailure>
  readonly update: (
    tenantId: TenantId,
    id: PublicationId,
    patch: UpdatePublication
  ) => Effect.Effect<Publication, PublicationFailure>
  readonly pause: (tenantId: TenantId, id: PublicationId) => Effect.Effect<Publication, PublicationFailure>
  readonly resume: (tenantId: TenantId, id: PublicationId) => Effect.Effect<Publication, PublicationFailure>
  readonly delete: (tenantId: TenantId, id: PublicationId) => Effect.Effect<void, PublicationFailure>
}>()("switchboard/publications/Publications") {
  static readonly layer = Layer.effect(
    Publications,
    Effect.gen(function*() {
      const store = yield* PublicationStore
      const installations = yield* InstallationStore
      const registry = yield* Registry

      /** The tenant's installation and its registered provider. */
      const installationOf = Effect.fn("Publications.installationOf")(function*(tenantId: TenantId, installationId: string) {
        const installation = yield* installations.get(tenantId, InstallationId.make(installationId))
        if (Option.isNone(installation)) {
          return yield* new PublicationError({ reason: "NotFound", message: "No such installation" })
        }
        const provider = registry.get(installation.value.providerId)
        if (Option.isNone(provider)) return yield* invalid(`Provider ${installation.value.providerId} is not registered`)
        return { installation: installation.value, provider: provider.value }
      })

      /** One agent per installation: refuses `agentId` if another publication there has it. */
      const checkUnique = Effect.fn("Publications.checkUnique")(
        function*(installation: Installation, agentId: string, except: Option.Option<PublicationId>) {
          const existing = (yield* store.listByInstallation(installation.tenantId, installation.id)).find(
            (publication) => publication.agentId === agentId && !Option.contains(except, publication.id)
          )
          if (existing !== undefined) {
            return yield* new PublicationError({
              reason: "Conflict",
              message:
                `Agent ${agentId} is already published on installation ${installation.id} (publication ${existing.id}); ` +
                "update that publication instead"
            })
          }
        }
      )

      /**
       * A write the unique index refused: another create of the same agent won the race since the
       * check, and the check now says so. Any other failure of the write is the store's own.
       */
      const lostRace = (installation: Installation, agentId: string, except: Option.Option<PublicationId>, error: StoreError) =>
        Effect.andThen(checkUnique(installation, agentId, except), Effect.fail(error))

      const get = Effect.fn("Publications.get")(function*(tenantId: TenantId, id: PublicationId) {
        const found = yield* store.get(tenantId, id)
        if (Option.isNone(found)) return yield* publicationNotFound()
        return found.value
      })

      const create = Effect.fn("Publications.create")(function*(tenantId: TenantId, input: CreatePublication) {
        const { installation, provider } = yield* installationOf(tenantId, input.installationId)
        yield* checkAgainst(provider, input)
        yield* checkUnique(installation, input.agentId, Option.none())
        const now = yield* Clock.currentTimeMillis
        const publication: Publication = {
          id: PublicationId.make(`pub_${randomToken(12)}`),
          tenantId,
          installationId: installation.id,
          agentId: input.agentId,
          scopes: [...new Set(input.scopes)],
          granularity: input.granularity ?? defaultGranularityOf(provider),
          filters: input.filters ?? {},
          status: installation.status === "active" ? "active" : "paused",
          createdAt: now,
          updatedAt: now
        }
        yield* store.insert(publication).pipe(Effect.catch((error) => lostRace(installation, input.agentId, Option.none(), error)))
        return publication
      })

      const update = Effect.fn("Publications.update")(function*(tenantId: TenantId, id: PublicationId, patch: UpdatePublication) {
        const existing = yield* get(tenantId, id)
        const { installation, provider } = yield* installationOf(tenantId, existing.installationId)
        yield* checkAgainst(provider, patch)
        if (patch.agentId !== undefined && patch.agentId !== existing.agentId) {
          yield* checkUnique(installation, patch.agentId, Option.some(id))
        }
        if (patch.status === "active" && existing.status !== "active" && installation.status !== "active") {
          return yield* new PublicationError({
            reason: "Conflict",
            message: `Installation ${installation.id} is ${installation.status}: install it again to resume its publications`
          })
        }
        const updated = yield* store.update(tenantId, id, patch, yield* Clock.currentTimeMillis).pipe(
          Effect.catch((error) =>
            patch.agentId === undefined || patch.agentId === existing.agentId
              ? Effect.fail(error)
              : lostRace(installation, patch.agentId, Option.some(id), error))
        )
        if (Option.isNone(updated)) return yield* publicationNotFound()
        return updated.value
      })

      return Publications.of({
        list: (tenantId) => store.list(tenantId),
        get,
        create,
        update,
        pause: (tenantId, id) => update(tenantId, id, { status: "paused" }),
        resume: (tenantId, id) => update(tenantId, id, { status: "active" }),
        delete: Effect.fn("Publications.delete")(function*(tenantId: TenantId, id: PublicationId) {
          if (!(yield* store.delete(tenantId, id))) return yield* publicationNotFound()
        })
      })
    })
  )
}
