/**
 * InstallationTokens across instances sharing one store: a caller that loses the refresh claim
 * waits for the winner's tokens, gives the wait up after the limit, and takes the claim in its
 * turn when the winner's refresh fails; the opened-tokens cache (skip the vault while the stored
 * ciphertext is the one opened, bounded, oldest out first); the refresh metric's labels.
 * A second instance is `InstallationTokens.layer` built again over the same stores.
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, type Duration, Effect, Exit, Fiber, Layer, Metric, Option } from "effect"
import { TestClock } from "effect/testing"
import { InstallationId } from "../../kernel/domain/Ids.ts"
import type { Installation } from "../../kernel/domain/Installation.ts"
import { InstallationTokens } from "../../kernel/install/InstallationTokens.ts"
import * as Metrics from "../../kernel/observability/Metrics.ts"
import { InstallationStore } from "../../kernel/store/InstallationStore.ts"
import { sealTokens } from "../../kernel/vault/TokenCodec.ts"
import { Vault } from "../../kernel/vault/Vault.ts"
import { accessOf, inInstallWorld, NOW, seed, Vendor } from "./world.ts"


/** Another instance of the service over the same stores, its dependencies changed by `overrides`. */
const anotherInstance = <ROut, RIn>(overrides: Layer.Layer<ROut, never, RIn>) =>
  Effect.gen(function*() {
    return yield* InstallationTokens
  }).pipe(Effect.provide(Layer.fresh(InstallationTokens.layer).pipe(Layer.provide(overrides))))

/** A store whose refresh claim another instance always holds; counts the attempts. */
const claimHeldElsewhere = (attempts: { count: number }) =>
  Layer.effect(
    InstallationStore,
    Effect.map(Effect.service(InstallationStore), (store) =>
      InstallationStore.of({ ...store, claimRefresh: () => Effect.sync(() => (attempts.count++, false)) }))
  )

/** A vault that counts its opens. */
const countingVault = (opens: { count: number }) =>
  Layer.effect(
    Vault,
    Effect.map(Effect.service(Vault), (vault) =>
      Vault.of({
        ...vault,
        open: (sealed, binding) => Effect.suspend(() => (opens.count++, vault.open(sealed, binding)))
      }))
  )

/** Writes tokens straight to the store, as another instance would. */
const storeElsewhere = (installation: Installation, accessToken: string, vendor: Vendor) =>
  Effect.gen(function*() {
    const tokens = vendor.tokens(accessToken)
    const sealed = yield* sealTokens(yield* Vault, installation.tenantId, installation.id, tokens)
    yield* (yield* InstallationStore).setSecret(installation.tenantId, installation.id, {
      sealed,
      expiresAt: Option.getOrNull(tokens.expiresAt)
    }, NOW)
    return sealed
  })

/** The fiber's exit if it ends within `wait` of real time (the test clock stands still meanwhile). */
const settled = <A, E>(fiber: Fiber.Fiber<A, E>, wait: Duration.Input) =>
  TestClock.withLive(Effect.timeoutOption(Fiber.await(fiber), wait))

/** Until the vendor call began, or the caller ended without it (a broken claim: fail now, not hang). */
const untilEntered = <A, E>(entered: Deferred.Deferred<void>, caller: Fiber.Fiber<A, E>) =>
  Effect.raceFirst(Deferred.await(entered), Effect.asVoid(Fiber.join(caller)))

const counted = (metric: Metric.Metric<number, Metric.CounterState<number>>, attributes: Record<string, string>) =>
  Effect.map(Metric.value(Metric.withAttributes(metric, attributes)), (state) => state.count)

describe("InstallationTokens across instances", () => {
  it.effect("a caller on another instance waits for the refresh the first one claimed and takes its tokens", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const first = yield* InstallationTokens
        const second = yield* anotherInstance(Layer.empty)
        vendor.tokenLifetime = 30
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        vendor.tokenLifetime = 3600
        const gate = yield* Deferred.make<void>()
        const entered = yield* Deferred.make<void>()
        vendor.beforeRefresh = Effect.andThen(Deferred.succeed(entered, undefined), Deferred.await(gate))
        const winner = yield* Effect.forkChild(first.get(installation))
        yield* untilEntered(entered, winner)
        const waiter = yield* Effect.forkChild(second.get(installation))
        yield* TestClock.adjust(1_000)
        expect(yield* settled(waiter, "100 millis")).toEqual(Option.none())
        yield* Deferred.succeed(gate, undefined)
        expect(accessOf(yield* Fiber.join(winner))).toBe("t0+")
        yield* TestClock.adjust(50)
        expect(accessOf(yield* Fiber.join(waiter))).toBe("t0+")
        expect(vendor.refreshes).toBe(1)
      })))

  it.effect("gives up waiting for another instance's refresh after 35 seconds, without calling the vendor", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const attempts = { count: 0 }
        const tokens = yield* anotherInstance(claimHeldElsewhere(attempts))
        vendor.tokenLifetime = 30
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        const waiter = yield* Effect.forkChild(tokens.get(installation))
        // The wait is timed from the first look: let it happen before the clock moves.
        while (attempts.count === 0 && waiter.pollUnsafe() === undefined) yield* TestClock.withLive(Effect.sleep("5 millis"))
        yield* TestClock.adjust(35_000)
        expect(yield* settled(waiter, "200 millis")).toEqual(Option.none())
        yield* TestClock.adjust(50)
        const failure = Option.flatMap(yield* settled(waiter, "3 seconds"), Exit.findErrorOption)
        expect(Option.getOrUndefined(failure)).toMatchObject({
          reason: "VendorUnavailable",
          message: "Another instance's token refresh did not finish in time; try again"
        })
        expect(vendor.refreshes).toBe(0)
      })))

  it.effect("a failed refresh gives its claim back: a waiting instance refreshes at its next look", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const first = yield* InstallationTokens
        const second = yield* anotherInstance(Layer.empty)
        vendor.tokenLifetime = 30
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        vendor.tokenLifetime = 3600
        const gate = yield* Deferred.make<void>()
        const entered = yield* Deferred.make<void>()
        vendor.beforeRefresh = Effect.andThen(Deferred.succeed(entered, undefined), Deferred.await(gate))
        vendor.refresh = "error"
        const loser = yield* Effect.forkChild(first.get(installation))
        yield* untilEntered(entered, loser)
        const waiter = yield* Effect.forkChild(second.get(installation))
        yield* TestClock.adjust(100)
        yield* Deferred.succeed(gate, undefined)
        expect(yield* Effect.flip(Fiber.join(loser))).toMatchObject({ reason: "VendorRejected" })
        vendor.refresh = "rotate"
        // Well inside the claim's 15 seconds: only a released claim lets the waiter in.
        yield* TestClock.adjust(50)
        const taken = yield* settled(waiter, "3 seconds")
        expect(Option.map(taken, (exit) => Exit.isSuccess(exit) && accessOf(exit.value))).toEqual(Option.some("t0+"))
        expect(vendor.refreshes).toBe(2)
      })))

  it.effect("claims nothing for a provider that cannot refresh: the next caller does not wait for a claim", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const tokens = yield* InstallationTokens
        vendor.tokenLifetime = 10
        const { installation } = yield* seed({ providerId: "gadgets", tokens: vendor.tokens("g") })
        expect(accessOf(yield* tokens.get(installation))).toBe("g")
        // The clock stands still: a claim left by the first call would hold this one for 15 seconds.
        const second = yield* Effect.forkChild(tokens.get(installation))
        const done = yield* settled(second, "3 seconds")
        expect(Option.map(done, (exit) => Exit.isSuccess(exit) && accessOf(exit.value))).toEqual(Option.some("g"))
      })))
})

describe("InstallationTokens' opened-tokens cache", () => {
  it.effect("opens a stored secret once, and again whenever the stored text or its key id changes", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const opens = { count: 0 }
        const tokens = yield* anotherInstance(countingVault(opens))
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        expect(accessOf(yield* tokens.get(installation))).toBe("t0")
        expect(accessOf(yield* tokens.get(installation))).toBe("t0")
        expect(opens.count).toBe(1)
        const sealed = yield* storeElsewhere(installation, "t1", vendor)
        expect(accessOf(yield* tokens.get(installation))).toBe("t1")
        expect(opens.count).toBe(2)
        // The same ciphertext under a key id the vault does not hold: opened (and refused), not served.
        yield* (yield* InstallationStore).setSecret(installation.tenantId, installation.id, {
          sealed: { ...sealed, keyId: "k-gone" },
          expiresAt: null
        }, NOW)
        yield* Effect.flip(tokens.get(installation))
        expect(opens.count).toBe(3)
      })))

  it.effect("keeps 1,024 installations, the least recently opened out first", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const opens = { count: 0 }
        const tokens = yield* anotherInstance(countingVault(opens))
        // One tenant, 1,025 installations written straight to the store (no publications needed).
        const { installation: first } = yield* seed({ tokens: vendor.tokens("t0") })
        const installations: Array<Installation> = [first]
        for (let i = 1; i < 1025; i++) {
          const installation = { ...first, id: InstallationId.make(`ins_${i}`), externalAccountId: `acct-${i}` }
          const sealed = yield* sealTokens(yield* Vault, installation.tenantId, installation.id, vendor.tokens(`t${i}`))
          yield* (yield* InstallationStore).upsert(installation, { sealed, expiresAt: null })
          installations.push(installation)
        }
        const [a0, a1, a2] = installations as [Installation, Installation, Installation]
        for (const installation of installations.slice(0, 1024)) yield* tokens.get(installation)
        expect(opens.count).toBe(1024)
        // a0 changes and is opened again: it becomes the newest entry.
        yield* storeElsewhere(a0, "t0'", vendor)
        expect(accessOf(yield* tokens.get(a0))).toBe("t0'")
        expect(opens.count).toBe(1025)
        // The 1,025th installation pushes out the oldest: a1.
        yield* tokens.get(installations[1024]!)
        expect(opens.count).toBe(1026)
        yield* tokens.get(a0)
        yield* tokens.get(a2)
        expect(opens.count).toBe(1026)
        yield* tokens.get(a1)
        expect(opens.count).toBe(1027)
      })), 30_000)
})

describe("the refresh metric", () => {
  it.effect("counts refreshes by provider and outcome", () =>
    inInstallWorld((vendor) =>
      Effect.gen(function*() {
        const tokens = yield* InstallationTokens
        const ok = { provider: "widgets", outcome: "ok" }
        const failed = { provider: "widgets", outcome: "failed" }
        const before = [yield* counted(Metrics.tokenRefreshes, ok), yield* counted(Metrics.tokenRefreshes, failed)]
        vendor.tokenLifetime = 30
        const { installation } = yield* seed({ tokens: vendor.tokens("t0") })
        yield* tokens.get(installation)
        expect([yield* counted(Metrics.tokenRefreshes, ok), yield* counted(Metrics.tokenRefreshes, failed)])
          .toEqual([before[0]! + 1, before[1]!])
        vendor.refresh = "error"
        yield* TestClock.adjust(60_000)
        yield* Effect.flip(tokens.get(installation))
        expect([yield* counted(Metrics.tokenRefreshes, ok), yield* counted(Metrics.tokenRefreshes, failed)])
          .toEqual([before[0]! + 1, before[1]! + 1])
      })))
})
