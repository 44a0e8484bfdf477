/**
 * Deleting a tenant: each of its installations is uninstalled first (`Install.uninstall`: the
 * grant revoked at the vendor where the provider can, best effort), then its rows are removed
 * from every table. Every step can run again, so a removal cut short (a 503) is finished by
 * asking again; a tenant already gone is NotFound.
 */
import { Effect, Option } from "effect"
import { ApiError } from "../domain/Errors.ts"
import type { TenantId } from "../domain/Ids.ts"
import { Install } from "../install/Install.ts"
import { InstallationStore } from "../store/InstallationStore.ts"
import { TenantStore } from "../store/TenantStore.ts"

export const removeTenant = Effect.fn("TenantRemoval.removeTenant")(function*(tenantId: TenantId) {
  const store = yield* TenantStore
  if (Option.isNone(yield* store.getTenant(tenantId))) {
    return yield* new ApiError({ reason: "NotFound", message: "No such tenant" })
  }
  const install = yield* Install
  const installations = yield* (yield* InstallationStore).list(tenantId)
  yield* Effect.forEach(installations, (installation) => install.uninstall(tenantId, installation.id), { discard: true })
  yield* store.deleteTenant(tenantId)
  return { uninstalled: installations.length }
})
