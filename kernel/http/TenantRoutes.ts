/** `POST /v1/tenants` (admin token) creates a tenant and its first API key, shown once. */
import { Effect, Schema } from "effect"

import { Tenants } from "../tenants/Tenants.ts"
import { jsonBody, requireAdmin } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const CreateTenant = Schema.Struct({ name: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(200)) })

export const TenantRoutes = route(
  "POST",
  "/v1/tenants",
  guard(Effect.gen(function*() {
    yield* requireAdmin
    const tenants = yield* Tenants
    const body = yield* jsonBody(CreateTenant)
    const created = yield* tenants.create(body.name)
    return json(201, created)
  }))
)
