/**
 * An installation's two vendor-driven transitions, as one service: `revoke` marks it revoked and
 * pauses its publications, so nothing is dispatched for it and its tools stop, until it is
 * installed again; `reactivate` undoes that when the vendor lifts a suspension. Both move the
 * installation and its publications together, so they never disagree.
 *
 * It does not call the vendor: revocation at the vendor is `Install.uninstall`'s business.
 */
import { Clock, Context, Effect, Layer } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { Installation, InstallationStatus } from "../domain/Installation.ts"
import type { PublicationStatus } from "../domain/Publication.ts"
import { InstallationStore } from "../store/InstallationStore.ts"
import { PublicationStore } from "../store/PublicationStore.ts"

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
      // Stryker disable next-line ObjectLiteral: a log line
      Effect.annotateLogs({ tenantId: installation.tenantId, installationId: installation.id })
    )
  })

const revoke = transition(
  "revoked",
  "paused",
  // Stryker disable next-line StringLiteral: a log message
  "installation revoked"
)
const reactivate = transition(
  "active",
  "active",
  // Stryker disable next-line StringLiteral: a log message
  "installation reactivated"
)

export class Revocation extends Context.Service<Revocation, {
  /** The installation is revoked (uninstalled, here or at the vendor) and its publications paused. */
  readonly revoke: (installation: Installation, why: string) => Effect.Effect<void, StoreError>
  /** The vendor lifted a suspension: the installation and its publications are active again. */
  readonly reactivate: (installation: Installation, why: string) => Effect.Effect<void, StoreError>
}>()("switchboard/install/Revocation") {
  static readonly layer = Layer.effect(
    Revocation,
    Effect.gen(function*() {
      const installations = yield* InstallationStore
      const publications = yield* PublicationStore
      return Revocation.of({
        revoke: (installation, why) => revoke(installations, publications, installation, why),
        reactivate: (installation, why) => reactivate(installations, publications, installation, why)
      })
    })
  )
}
