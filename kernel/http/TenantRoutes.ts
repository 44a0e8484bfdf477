/**
 * Tenant administration (admin token): `POST /v1/tenants` creates a tenant and its first API key,
 * shown once; `PATCH /v1/tenants/:id` `{ "disabled": true | false }` disables or enables it (a
 * disabled tenant's keys are refused); `DELETE /v1/tenants/:id` uninstalls its installations and
 * removes its rows. The tenant's own keys are managed under `/v1/api-keys` (`ApiKeyRoutes`),
 * served with these.
 */
import { Effect, Layer, Schema } from "effect"
import { TenantId } from "../domain/Ids.ts"
import { removeTenant } from "../tenants/TenantRemoval.ts"
import { Tenants } from "../tenants/Tenants.ts"
import { ApiKeyRoutes } from "./ApiKeyRoutes.ts"
import { jsonBody, pathParam, requireAdmin } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const CreateTenant = Schema.Struct({ name: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(200)) })
const UpdateTenant = Schema.Struct({ disabled: Schema.Boolean })

const tenantId = Effect.map(pathParam("id"), TenantId.make)

export const TenantRoutes = Layer.mergeAll(
  route(
    "POST",
    "/v1/tenants",
    guard(Effect.gen(function*() {
      yield* requireAdmin
      const tenants = yield* Tenants
      const body = yield* jsonBody(CreateTenant)
      const created = yield* tenants.create(body.name)
      return json(201, created)
    }))
  ),
  route(
    "PATCH",
    "/v1/tenants/:id",
    guard(Effect.gen(function*() {
      yield* requireAdmin
      const id = yield* tenantId
      const body = yield* jsonBody(UpdateTenant)
      yield* (yield* Tenants).setDisabled(id, body.disabled)
      return json(200, { tenant: { id, disabled: body.disabled } })
    }))
  ),
  route(
    "DELETE",
    "/v1/tenants/:id",
    guard(Effect.gen(function*() {
      yield* requireAdmin
      const removed = yield* removeTenant(yield* tenantId)
      return json(200, { ok: true, ...removed })
    }))
  ),
  ApiKeyRoutes
)
