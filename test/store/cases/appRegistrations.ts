/**
 * Conformance cases for `AppRegistrationStore`: pending to active, secrets hidden while pending,
 * the globally unique id, `findById` as the one cross-tenant read, tenant isolation.
 */
import { Effect } from "effect"
import { type AppRegistration, AppRegistrationId } from "../../../kernel/domain/AppRegistration.ts"
import type { AppRegistrationCompletion } from "../../../kernel/store/AppRegistrationStore.ts"
import { AppRegistrationStore } from "../../../kernel/store/AppRegistrationStore.ts"
import {
  appRegistration,
  awkward,
  expectEqual,
  expectNone,
  expectSome,
  expectStoreError,
  ids,
  linear,
  type StoreCase,
  T0,
  tenantA,
  tenantB
} from "../fixtures.ts"

const idA = AppRegistrationId.make("reg_a")
const missing = AppRegistrationId.make("reg_missing")

const completion = (ciphertext: string, at = T0 + 100): AppRegistrationCompletion => ({
  externalAppId: "123456",
  displayName: `Acme Agents (${awkward})`,
  metadata: { slug: "acme-agents", clientId: "Iv1.abc", owner: awkward },
  sealed: { keyId: "k1", ciphertext },
  at
})

/** What `complete(completion)` makes of a pending registration. */
const completed = (pending: AppRegistration, done: AppRegistrationCompletion): AppRegistration => ({
  ...pending,
  status: "active",
  externalAppId: done.externalAppId,
  displayName: done.displayName,
  metadata: done.metadata,
  updatedAt: done.at
})

export const appRegistrationCases: ReadonlyArray<StoreCase> = [
  {
    name: "AppRegistrationStore: insert; get, findById and list return it (JSON round-trip)",
    body: Effect.gen(function*() {
      const store = yield* AppRegistrationStore
      const first = appRegistration(tenantA, "reg_a")
      yield* store.insert(first)
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, idA), "get"), first, "get")
      yield* expectEqual(yield* expectSome(yield* store.findById(idA), "findById"), first, "findById")
      yield* expectNone(yield* store.get(tenantA, missing), "get(missing)")
      yield* expectNone(yield* store.findById(missing), "findById(missing)")
      // Listed oldest first, whatever the insertion order; an active row and empty metadata too.
      const older = appRegistration(tenantA, "reg_older", {
        providerId: linear,
        status: "active",
        externalAppId: "app_9",
        metadata: {},
        createdAt: T0 - 5,
        updatedAt: T0 - 5
      })
      yield* store.insert(older)
      yield* expectEqual(yield* store.list(tenantA), [older, first], "list")
    })
  },
  {
    name: "AppRegistrationStore: complete makes a pending registration active and stores its secret",
    body: Effect.gen(function*() {
      const store = yield* AppRegistrationStore
      const pending = appRegistration(tenantA, "reg_a")
      yield* store.insert(pending)
      yield* expectNone(yield* store.getSecret(tenantA, idA), "getSecret while pending")
      const done = completion("sealed_1")
      const expected = completed(pending, done)
      yield* expectEqual(yield* expectSome(yield* store.complete(tenantA, idA, done), "complete"), expected, "complete")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, idA), "get"), expected, "get")
      yield* expectEqual(yield* expectSome(yield* store.findById(idA), "findById"), expected, "findById")
      yield* expectEqual(yield* store.list(tenantA), [expected], "list")
      yield* expectEqual(yield* expectSome(yield* store.getSecret(tenantA, idA), "getSecret"), done.sealed, "getSecret")
      yield* expectNone(yield* store.complete(tenantA, missing, done), "complete(missing)")
      yield* expectNone(yield* store.getSecret(tenantA, missing), "getSecret(missing)")
    })
  },
  {
    name: "AppRegistrationStore: complete again replaces the vendor's answer and the secret",
    body: Effect.gen(function*() {
      const store = yield* AppRegistrationStore
      const pending = appRegistration(tenantA, "reg_a")
      yield* store.insert(pending)
      yield* store.complete(tenantA, idA, completion("sealed_1"))
      const again: AppRegistrationCompletion = {
        externalAppId: "654321",
        displayName: "Renamed",
        metadata: { slug: "renamed" },
        sealed: { keyId: "k2", ciphertext: "sealed_2" },
        at: T0 + 200
      }
      const expected = completed(pending, again)
      yield* expectEqual(yield* expectSome(yield* store.complete(tenantA, idA, again), "complete"), expected, "again")
      yield* expectEqual(yield* expectSome(yield* store.getSecret(tenantA, idA), "getSecret"), again.sealed, "new secret")
    })
  },
  {
    name: "AppRegistrationStore: getSecret is none for a registration without a secret, even active",
    body: Effect.gen(function*() {
      const store = yield* AppRegistrationStore
      yield* store.insert(appRegistration(tenantA, "reg_a", { status: "active", externalAppId: "app_1" }))
      yield* expectNone(yield* store.getSecret(tenantA, idA), "getSecret")
    })
  },
  {
    name: "AppRegistrationStore: delete removes it once; its id is then unknown everywhere",
    body: Effect.gen(function*() {
      const store = yield* AppRegistrationStore
      yield* store.insert(appRegistration(tenantA, "reg_a"))
      yield* store.insert(appRegistration(tenantA, "reg_keep", { createdAt: T0 + 1 }))
      yield* store.complete(tenantA, idA, completion("sealed_1"))
      yield* expectEqual(yield* store.delete(tenantA, idA), true, "delete")
      yield* expectEqual(yield* store.delete(tenantA, idA), false, "delete twice")
      yield* expectEqual(yield* store.delete(tenantA, missing), false, "delete(missing)")
      yield* expectNone(yield* store.get(tenantA, idA), "get")
      yield* expectNone(yield* store.findById(idA), "findById")
      yield* expectNone(yield* store.getSecret(tenantA, idA), "getSecret")
      yield* expectNone(yield* store.complete(tenantA, idA, completion("late")), "complete after delete")
      yield* expectEqual(ids(yield* store.list(tenantA)), ["reg_keep"], "list")
    })
  },
  {
    name: "AppRegistrationStore: an id is unique across tenants",
    body: Effect.gen(function*() {
      const store = yield* AppRegistrationStore
      const a = appRegistration(tenantA, "reg_a")
      yield* store.insert(a)
      yield* expectStoreError(store.insert(appRegistration(tenantA, "reg_a")), "AppRegistrationStore.insert")
      yield* expectStoreError(
        store.insert(appRegistration(tenantB, "reg_a", { displayName: "B's" })),
        "AppRegistrationStore.insert"
      )
      yield* expectEqual(yield* expectSome(yield* store.findById(idA), "findById"), a, "still A's")
      yield* expectEqual(yield* store.list(tenantB), [], "nothing for B")
    })
  },
  {
    name: "AppRegistrationStore: tenant isolation; findById is the one cross-tenant read",
    body: Effect.gen(function*() {
      const store = yield* AppRegistrationStore
      const pending = appRegistration(tenantA, "reg_a")
      yield* store.insert(pending)
      // B cannot complete A's pending registration (and so cannot plant its own secret).
      yield* expectNone(yield* store.complete(tenantB, idA, completion("planted")), "complete(B, A's id)")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, idA), "A"), pending, "A's row still pending")
      yield* expectNone(yield* store.getSecret(tenantA, idA), "no secret planted")
      const done = completion("secret_a")
      const active = completed(pending, done)
      yield* store.complete(tenantA, idA, done)
      yield* expectNone(yield* store.get(tenantB, idA), "get(B, A's id)")
      yield* expectEqual(yield* store.list(tenantB), [], "list(B)")
      yield* expectNone(yield* store.getSecret(tenantB, idA), "getSecret(B, A's id)")
      yield* expectNone(yield* store.complete(tenantB, idA, completion("stolen")), "complete(B, active A's id)")
      yield* expectEqual(yield* store.delete(tenantB, idA), false, "delete(B, A's id)")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, idA), "A"), active, "A's row is unchanged")
      yield* expectEqual(yield* expectSome(yield* store.getSecret(tenantA, idA), "A"), done.sealed, "A's secret")
      // findById answers anyone, and says whose registration it is.
      const found = yield* expectSome(yield* store.findById(idA), "findById")
      yield* expectEqual([found.tenantId, found.status], [tenantA, "active"], "findById names the tenant")
      // B's own registrations stay B's.
      const b = appRegistration(tenantB, "reg_b")
      yield* store.insert(b)
      yield* expectEqual(yield* store.list(tenantB), [b], "list(B)")
      yield* expectEqual(yield* store.list(tenantA), [active], "list(A)")
      yield* expectNone(yield* store.get(tenantA, AppRegistrationId.make("reg_b")), "get(A, B's id)")
    })
  }
]
