/**
 * Revoking an installation: it is marked revoked and its publications paused, so nothing is
 * dispatched for it and its tools stop, until it is installed again (or, for a vendor-side
 * suspension, until the vendor lifts it and it is reactivated).
 */
import { Clock, Effect } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { Installation, InstallationStatus } from "../domain/Installation.ts"
import type { PublicationStatus } from "../domain/Publication.ts"
import type { InstallationStore } from "../store/InstallationStore.ts"
import type { PublicationStore } from "../store/PublicationStore.ts"

/** Moves an installation and all its publications together, so they never disagree. */
const transition = (
  status: InstallationStatus,
  publicationStatus: PublicationStatus,
  event: string
) =>
(
  installations: InstallationStore["Service"],
  publications: PublicationStore["Service"],
  installation: Installation,
  why: string
): Effect.Effect<void, StoreError> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    yield* installations.setStatus(installation.tenantId, installation.id, status, now)
    yield* publications.setStatusByInstallation(installation.tenantId, installation.id, publicationStatus, now)
    yield* Effect.logInfo(event, why).pipe(
      Effect.annotateLogs({ tenantId: installation.tenantId, installationId: installation.id })
    )
  })

export const revokeInstallation = transition("revoked", "paused", "installation revoked")

/** The vendor lifted a suspension: the installation and its publications are active again. */
export const reactivateInstallation = transition("active", "active", "installation reactivated")
