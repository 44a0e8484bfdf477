/**
 * `/v1/publications`: decodes requests and encodes responses around the Publications service,
 * which owns every rule (validation against the provider, one agent per installation, tenant
 * scoping).
 */
import { Effect, Layer } from "effect"
import { PublicationId } from "../domain/Ids.ts"
import { CreatePublication, Publications, UpdatePublication } from "../publications/Publications.ts"
import { jsonBody, pathParam, tenantOf } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const publicationId = Effect.map(pathParam("id"), PublicationId.make)

export const PublicationRoutes = Layer.mergeAll(
  route(
    "GET",
    "/v1/publications",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      return json(200, { publications: yield* (yield* Publications).list(tenantId) })
    }))
  ),
  route(
    "POST",
    "/v1/publications",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const body = yield* jsonBody(CreatePublication)
      return json(201, { publication: yield* (yield* Publications).create(tenantId, body) })
    }))
  ),
  route(
    "PATCH",
    "/v1/publications/:id",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const id = yield* publicationId
      const publications = yield* Publications
      // An unknown id is a 404 before the body is judged, as it always was.
      yield* publications.get(tenantId, id)
      const body = yield* jsonBody(UpdatePublication)
      return json(200, { publication: yield* publications.update(tenantId, id, body) })
    }))
  ),
  route(
    "DELETE",
    "/v1/publications/:id",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      yield* (yield* Publications).delete(tenantId, yield* publicationId)
      return json(200, { ok: true })
    }))
  )
)
