/** `GET /v1/installations` and `DELETE /v1/installations/<id>` (uninstall), tenant-scoped. */
import { Effect, Layer } from "effect"

import { ApiError } from "../domain/Errors.ts"
import { InstallationId } from "../domain/Ids.ts"
import { Install } from "../install/Install.ts"
import { InstallationStore } from "../store/InstallationStore.ts"
import { pathParam, tenantOf } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

export const InstallationRoutes = Layer.mergeAll(
  route(
    "GET",
    "/v1/installations",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const store = yield* InstallationStore
      return json(200, { installations: yield* store.list(tenantId) })
    }))
  ),
  route(
    "DELETE",
    "/v1/installations/:id",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const install = yield* Install
      const removed = yield* install.uninstall(tenantId, InstallationId.make(yield* pathParam("id")))
      if (!removed) return yield* new ApiError({ reason: "NotFound", message: "No such installation" })
      return json(200, { ok: true })
    }))
  )
)
