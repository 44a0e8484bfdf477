/**
 * Publications, tenant-scoped: which agent serves an installation, with which scopes,
 * granularity and filters. Every value is checked against what the provider declares, so a
 * publication can never grant a scope or filter its provider does not know.
 */
import { Clock, Effect, Layer, Option, Schema } from "effect"

import { ApiError } from "../domain/Errors.ts"
import { PublicationId, type TenantId } from "../domain/Ids.ts"
import { Granularity, type Publication } from "../domain/Publication.ts"
import type { IntegrationProvider } from "../provider/Provider.ts"
import { Registry } from "../registry/Registry.ts"
import { InstallationStore } from "../store/InstallationStore.ts"
import { PublicationStore } from "../store/PublicationStore.ts"
import { randomToken } from "../encoding/Encoding.ts"
import { jsonBody, pathParam, tenantOf } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const Filters = Schema.Record(Schema.String, Schema.Array(Schema.String))
const Scopes = Schema.Array(Schema.String)

const CreatePublication = Schema.Struct({
  installationId: Schema.String,
  agentId: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(200)),
  scopes: Scopes,
  granularity: Granularity,
  filters: Schema.optional(Filters)
})

const UpdatePublication = Schema.Struct({
  agentId: Schema.optional(Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(200))),
  scopes: Schema.optional(Scopes),
  granularity: Schema.optional(Granularity),
  filters: Schema.optional(Filters),
  status: Schema.optional(Schema.Literals(["active", "paused"]))
})

const badRequest = (message: string) => new ApiError({ reason: "BadRequest", message })

const checkAgainst = (
  provider: IntegrationProvider,
  values: {
    readonly scopes?: ReadonlyArray<string> | undefined
    readonly granularity?: string | undefined
    readonly filters?: Readonly<Record<string, ReadonlyArray<string>>> | undefined
  }
) => {
  const unknownScopes = (values.scopes ?? []).filter((scope) => !provider.scopes.some((known) => known.name === scope))
  if (unknownScopes.length > 0) return Effect.fail(badRequest(`Unknown scopes for ${provider.id}: ${unknownScopes.join(", ")}`))
  if (values.granularity !== undefined && !provider.granularities.some((known) => known === values.granularity)) {
    return Effect.fail(badRequest(`${provider.id} supports granularities: ${provider.granularities.join(", ")}`))
  }
  const unknownFilters = Object.keys(values.filters ?? {}).filter((key) => !provider.filters.some((known) => known.key === key))
  if (unknownFilters.length > 0) return Effect.fail(badRequest(`Unknown filters for ${provider.id}: ${unknownFilters.join(", ")}`))
  return Effect.void
}

const providerOfPublication = (tenantId: TenantId, installationId: string) =>
  Effect.gen(function*() {
    const installations = yield* InstallationStore
    const registry = yield* Registry
    const installation = (yield* installations.list(tenantId)).find((candidate) => candidate.id === installationId)
    if (installation === undefined) return yield* new ApiError({ reason: "NotFound", message: "No such installation" })
    const provider = registry.get(installation.providerId)
    if (Option.isNone(provider)) return yield* badRequest(`Provider ${installation.providerId} is not registered`)
    return { installation, provider: provider.value }
  })

const notFound = () => new ApiError({ reason: "NotFound", message: "No such publication" })

export const PublicationRoutes = Layer.mergeAll(
  route(
    "GET",
    "/v1/publications",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const store = yield* PublicationStore
      return json(200, { publications: yield* store.list(tenantId) })
    }))
  ),
  route(
    "POST",
    "/v1/publications",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const body = yield* jsonBody(CreatePublication)
      const { installation, provider } = yield* providerOfPublication(tenantId, body.installationId)
      yield* checkAgainst(provider, body)
      const now = yield* Clock.currentTimeMillis
      const publication: Publication = {
        id: PublicationId.make(`pub_${randomToken(12)}`),
        tenantId,
        installationId: installation.id,
        agentId: body.agentId,
        scopes: [...new Set(body.scopes)],
        granularity: body.granularity,
        filters: body.filters ?? {},
        status: installation.status === "active" ? "active" : "paused",
        createdAt: now,
        updatedAt: now
      }
      yield* (yield* PublicationStore).insert(publication)
      return json(201, { publication })
    }))
  ),
  route(
    "PATCH",
    "/v1/publications/:id",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const store = yield* PublicationStore
      const id = PublicationId.make(yield* pathParam("id"))
      const existing = yield* store.get(tenantId, id)
      if (Option.isNone(existing)) return yield* notFound()
      const body = yield* jsonBody(UpdatePublication)
      const { provider } = yield* providerOfPublication(tenantId, existing.value.installationId)
      yield* checkAgainst(provider, body)
      const updated = yield* store.update(tenantId, id, body, yield* Clock.currentTimeMillis)
      return Option.match(updated, { onNone: () => json(404, { error: { reason: "NotFound", message: "No such publication" } }), onSome: (publication) => json(200, { publication }) })
    }))
  ),
  route(
    "DELETE",
    "/v1/publications/:id",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const store = yield* PublicationStore
      if (!(yield* store.delete(tenantId, PublicationId.make(yield* pathParam("id"))))) return yield* notFound()
      return json(200, { ok: true })
    }))
  )
)
