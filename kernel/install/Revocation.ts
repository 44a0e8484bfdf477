/**
 * Revoking an installation: it is marked revoked and its publications paused, so nothing is
 * dispatched for it and its tools stop, until it is installed again (or, for a vendor-side
 * suspension, until the vendor lifts it).
 */
import { Clock, Effect } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { Installation } from "../domain/Installation.ts"
import type { InstallationStore } from "../store/InstallationStore.ts"
import type { PublicationStore } from "../store/PublicationStore.ts"

export const revokeInstallation = (
  installations: InstallationStore["Service"],
  publications: PublicationStore["Service"],
  installation: Installation,
  why: string
): Effect.Effect<void, StoreError> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    yield* installations.setStatus(installation.tenantId, installation.id, "revoked", now)
    yield* publications.setStatusByInstallation(installation.tenantId, installation.id, "paused", now)
    yield* Effect.logInfo("installation revoked", why).pipe(
      Effect.annotateLogs({ tenantId: installation.tenantId, installationId: installation.id })
    )
  })

/** The vendor lifted a suspension: the installation and its publications are active again. */
export const reactivateInstallation = (
  installations: InstallationStore["Service"],
  publications: PublicationStore["Service"],
  installation: Installation,
  why: string
): Effect.Effect<void, StoreError> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    yield* installations.setStatus(installation.tenantId, installation.id, "active", now)
    yield* publications.setStatusByInstallation(installation.tenantId, installation.id, "active", now)
    yield* Effect.logInfo("installation reactivated", why).pipe(
      Effect.annotateLogs({ tenantId: installation.tenantId, installationId: installation.id })
    )
  })
