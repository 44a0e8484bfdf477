/**
 * Conformance cases for the refresh claim of `InstallationStore`: the secret's version counts
 * every write, a refresh is claimed by one caller per version, and a refreshed secret is stored
 * only over the version it was claimed on. What makes a token refresh single flight across
 * instances sharing the database (kernel/install/InstallationTokens.ts).
 */
import { Effect } from "effect"
import { InstallationId } from "../../../kernel/domain/Ids.ts"
import { InstallationStore } from "../../../kernel/store/InstallationStore.ts"
import { expectEqual, expectSome, installation, secret, type StoreCase, T0, tenantA, tenantB } from "../fixtures.ts"

const idA = InstallationId.make("ins_a")

export const installationRefreshCases: ReadonlyArray<StoreCase> = [
  {
    name: "InstallationStore: every write of the secret counts its version up",
    body: Effect.gen(function*() {
      const store = yield* InstallationStore
      yield* store.upsert(installation(tenantA, "ins_a"), secret("c1"))
      const first = yield* expectSome(yield* store.getVersionedSecret(tenantA, idA), "versioned")
      yield* expectEqual([first.sealed.ciphertext, first.refreshClaimedUntil], ["c1", null], "as stored")
      yield* store.setSecret(tenantA, idA, secret("c2"), T0 + 1)
      yield* store.upsert(installation(tenantA, "ins_a"), secret("c3"))
      const third = yield* expectSome(yield* store.getVersionedSecret(tenantA, idA), "versioned")
      yield* expectEqual([third.sealed.ciphertext, third.version], ["c3", first.version + 2], "two writes later")
    })
  },
  {
    name: "InstallationStore: a refresh is claimed once per version; the swap needs the claimed version",
    body: Effect.gen(function*() {
      const store = yield* InstallationStore
      yield* store.upsert(installation(tenantA, "ins_a"), secret("c1"))
      const { version } = yield* expectSome(yield* store.getVersionedSecret(tenantA, idA), "versioned")
      yield* expectEqual(yield* store.claimRefresh(tenantA, idA, version, T0, T0 + 100), true, "first claim")
      yield* expectEqual(yield* store.claimRefresh(tenantA, idA, version, T0 + 50, T0 + 150), false, "while it stands")
      yield* expectEqual(yield* store.claimRefresh(tenantB, idA, version, T0 + 200, T0 + 300), false, "another tenant")
      // A claim whose holder died ends: the next caller takes over.
      yield* expectEqual(yield* store.claimRefresh(tenantA, idA, version, T0 + 100, T0 + 200), true, "after it ended")
      yield* expectEqual(yield* store.setSecretIfVersion(tenantA, idA, secret("c2"), version, T0 + 120), true, "swap")
      const after = yield* expectSome(yield* store.getVersionedSecret(tenantA, idA), "after the swap")
      yield* expectEqual(
        [after.sealed.ciphertext, after.version, after.refreshClaimedUntil],
        ["c2", version + 1, null],
        "new secret, next version, no claim"
      )
      yield* expectEqual(yield* store.setSecretIfVersion(tenantA, idA, secret("late"), version, T0 + 130), false, "stale swap")
      yield* expectEqual(yield* store.claimRefresh(tenantA, idA, version, T0 + 300, T0 + 400), false, "stale claim")
      yield* expectEqual(
        (yield* expectSome(yield* store.getSecret(tenantA, idA), "secret")).sealed.ciphertext,
        "c2",
        "the stale swap changed nothing"
      )
      // A failed refresh gives the claim back at once.
      yield* expectEqual(yield* store.claimRefresh(tenantA, idA, version + 1, T0 + 300, T0 + 400), true, "claim")
      yield* store.releaseRefresh(tenantA, idA, version + 1)
      yield* expectEqual(yield* store.claimRefresh(tenantA, idA, version + 1, T0 + 301, T0 + 400), true, "after release")
    })
  },
  {
    name: "InstallationStore: concurrent refresh claims of one version: exactly one wins",
    body: Effect.gen(function*() {
      const store = yield* InstallationStore
      yield* store.upsert(installation(tenantA, "ins_a"), secret("c1"))
      const { version } = yield* expectSome(yield* store.getVersionedSecret(tenantA, idA), "versioned")
      const claims = yield* Effect.all(
        Array.from({ length: 12 }, () => store.claimRefresh(tenantA, idA, version, T0, T0 + 1_000)),
        { concurrency: "unbounded" }
      )
      yield* expectEqual(claims.filter((won) => won).length, 1, "winners")
    })
  }
]
