/**
 * An installation's tokens: refreshed a minute ahead of expiry and after a vendor rejection,
 * once for concurrent callers, and a grant the vendor revoked stops the installation, unless
 * another instance refreshed meanwhile. Revocation and reactivation move installation and
 * publications together.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import { InstallationId } from "../../kernel/domain/Ids.ts"
import type { Installation } from "../../kernel/domain/Installation.ts"
import { InstallationTokens } from "../../kernel/install/InstallationTokens.ts"
import { Registrations } from "../../kernel/install/Registrations.ts"
import { Revocation } from "../../kernel/install/Revocation.ts"
import { InstallationStore } from "../../kernel/store/InstallationStore.ts"
import { PublicationStore } from "../../kernel/store/PublicationStore.ts"
import { accessOf, inInstallWorld, NOW, seed, tenantA } from "./world.ts"


const statusOf = (installation: Installation) =>
  Effect.gen(function*() {
    const stored = yield* (yield* InstallationStore).get(installation.tenantId, installation.id)
    const publications = yield* (yield* PublicationStore).listByInstallation(installation.tenantId, installation.id)
    return [Option.map(stored, (found) => found.status).pipe(Option.getOrNull), ...publications.map((publication) => publication.status)]
  })

describe("InstallationTokens.get", () => {
  it.effect("returns the stored tokens until a minute before expiry, then refreshes and stores the new ones", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const tokens = yield* InstallationTokens
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        // Expires at NOW + 1 h: fresh until NOW + 59 min.
        yield* TestClock.adjust(59 * 60_000 - 1)
        expect(accessOf(yield* tokens.get(installation))).toBe("t0")
        expect(vendor.refreshes).toBe(0)
        yield* TestClock.adjust(1)
        const refreshed = yield* tokens.get(installation)
        expect(accessOf(refreshed)).toBe("t0+")
        expect(vendor.refreshes).toBe(1)
        // Stored: the next call reads the refreshed tokens without asking the vendor.
        expect(accessOf(yield* tokens.get(installation))).toBe("t0+")
        expect(vendor.refreshes).toBe(1)
        const stored = yield* (yield* InstallationStore).getSecret(tenantA, installation.id)
        expect(Option.map(stored, (secret) => secret.expiresAt)).toEqual(Option.some(NOW + 59 * 60_000 + 3600_000))
      })))

  it.effect("never refreshes tokens without an expiry, nor where the provider cannot refresh", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const tokens = yield* InstallationTokens
        vendor.tokenLifetime = undefined
        const { installation } = yield* seed({ tokens: vendor.tokens("forever") })
        yield* TestClock.adjust("1000 days")
        expect(accessOf(yield* tokens.get(installation))).toBe("forever")
        vendor.tokenLifetime = 10
        const gadget = yield* seed({ providerId: "gadgets", tokens: vendor.tokens("g") })
        expect(accessOf(yield* tokens.get(gadget.installation))).toBe("g")
        expect(vendor.refreshes).toBe(0)
      })))

  it.effect("refreshes through the OAuth method wherever the provider lists it", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        vendor.tokenLifetime = 30
        const { installation } = yield* seed({ providerId: "sprockets", tokens: vendor.tokens("sp") })
        expect(accessOf(yield* (yield* InstallationTokens).get(installation))).toBe("sp+")
      })))

  it.effect("refreshes once for concurrent callers", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const tokens = yield* InstallationTokens
        vendor.tokenLifetime = 30
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        vendor.tokenLifetime = 3600
        vendor.beforeRefresh = Effect.yieldNow
        const all = yield* Effect.all([tokens.get(installation), tokens.get(installation), tokens.get(installation)], {
          concurrency: "unbounded"
        })
        expect(all.map(accessOf)).toEqual(["t0+", "t0+", "t0+"])
        expect(vendor.refreshes).toBe(1)
      })))

  it.effect("an installation without stored credentials fails as such", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        const error = yield* Effect.flip((yield* InstallationTokens).get({ ...installation, id: InstallationId.make("ins_gone") }))
        expect(error).toMatchObject({ reason: "InvalidCredentials", message: "The installation has no stored credentials" })
      })))

  it.effect("a failed refresh fails the call and leaves the installation alone", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        vendor.tokenLifetime = 30
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        vendor.refresh = "error"
        expect(yield* Effect.flip((yield* InstallationTokens).get(installation))).toMatchObject({ reason: "VendorRejected" })
        expect(yield* statusOf(installation)).toEqual(["active", "active"])
      })))

  it.effect("a grant the vendor revoked revokes the installation and pauses its publications", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        vendor.tokenLifetime = 30
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        vendor.refresh = "revoked"
        expect(yield* Effect.flip((yield* InstallationTokens).get(installation))).toMatchObject({ reason: "GrantRevoked" })
        expect(yield* statusOf(installation)).toEqual(["revoked", "paused"])
      })))

  it.effect("a 'revoked' answer after another instance refreshed meanwhile takes that instance's tokens", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const tokens = yield* InstallationTokens
        vendor.tokenLifetime = 30
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        vendor.tokenLifetime = 3600
        vendor.refresh = "revoked"
        vendor.beforeRefresh = tokens.store(installation, vendor.tokens("elsewhere")).pipe(Effect.orDie)
        expect(accessOf(yield* tokens.get(installation))).toBe("elsewhere")
        expect(yield* statusOf(installation)).toEqual(["active", "active"])
      })))

  it.effect("refreshes with the tenant's own app when the installation came through one", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const registrations = yield* Registrations
        const { registration } = yield* registrations.create(tenantA, "widgets", "Ours")
        yield* registrations.paste(tenantA, registration.id, { clientId: "c", clientSecret: "s" })
        vendor.tokenLifetime = 30
        const { installation } = yield* seed({ tokens: vendor.tokens("t0"), registrationId: registration.id })
        yield* (yield* InstallationTokens).get(installation)
        expect(vendor.refreshApps).toEqual([Option.some(registration.id)])
      })))
})

describe("InstallationTokens.refreshAfterRejection", () => {
  it.effect("refreshes the rejected tokens, or takes the ones another caller already stored", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const tokens = yield* InstallationTokens
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        const stale = yield* tokens.get(installation)
        const fresh = yield* tokens.refreshAfterRejection(installation, stale)
        expect(accessOf(fresh)).toBe("t0+")
        expect(vendor.refreshes).toBe(1)
        // A second caller still holding t0: t0+ replaced it already, no new refresh.
        expect(accessOf(yield* tokens.refreshAfterRejection(installation, stale))).toBe("t0+")
        expect(vendor.refreshes).toBe(1)
      })))
})

describe("Revocation", () => {
  it.effect("revokes and reactivates installation and publications together", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const revocation = yield* Revocation
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        yield* TestClock.adjust("1 minute")
        yield* revocation.revoke(installation, "test")
        expect(yield* statusOf(installation)).toEqual(["revoked", "paused"])
        const stored = yield* (yield* InstallationStore).get(tenantA, installation.id)
        expect(Option.map(stored, (found) => found.updatedAt)).toEqual(Option.some(NOW + 60_000))
        yield* revocation.reactivate(installation, "test")
        expect(yield* statusOf(installation)).toEqual(["active", "active"])
      })))
})
