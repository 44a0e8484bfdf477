/** Conformance cases for `InstallationStore`: upsert keeps ids, secrets, findByAccount, isolation. */
import { Effect } from "effect"
import { InstallationId } from "../../../kernel/domain/Ids.ts"
import { InstallationStore } from "../../../kernel/store/InstallationStore.ts"
import {
  expectEqual,
  expectNone,
  expectSome,
  github,
  ids,
  installation,
  secret,
  type StoreCase,
  T0,
  tenantA,
  tenantB
} from "../fixtures.ts"

const idA = InstallationId.make("ins_a")

export const installationCases: ReadonlyArray<StoreCase> = [
  {
    name: "InstallationStore: upsert inserts; get and list return it (JSON round-trip)",
    body: Effect.gen(function*() {
      const store = yield* InstallationStore
      const input = installation(tenantA, "ins_a")
      yield* expectEqual(yield* store.upsert(input, secret("c1")), input, "upsert returns the row")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, idA), "get"), input, "get")
      yield* expectNone(yield* store.get(tenantA, InstallationId.make("ins_missing")), "get(missing)")
      const second = installation(tenantA, "ins_b", { externalAccountId: "org_2", createdAt: T0 + 1, metadata: {} })
      yield* store.upsert(second, secret("c2"))
      yield* expectEqual(yield* store.list(tenantA), [input, second], "list")
    })
  },
  {
    name: "InstallationStore: upsert of a known account keeps its id and reactivates it",
    body: Effect.gen(function*() {
      const store = yield* InstallationStore
      yield* store.upsert(installation(tenantA, "ins_a"), secret("c1"))
      yield* store.setStatus(tenantA, idA, "revoked", T0 + 1)
      const again = installation(tenantA, "ins_new", {
        displayName: "Acme 2",
        status: "active",
        grantedScopes: ["read"],
        metadata: { botUserId: "b_9" },
        createdAt: T0 + 10,
        updatedAt: T0 + 10
      })
      const stored = yield* store.upsert(again, secret("c2", null))
      yield* expectEqual(stored, { ...again, id: idA, createdAt: T0 }, "the existing id and creation time are kept")
      yield* expectEqual(ids(yield* store.list(tenantA)), ["ins_a"], "still one installation")
      yield* expectEqual(yield* expectSome(yield* store.getSecret(tenantA, idA), "getSecret"), secret("c2", null), "new secret")
    })
  },
  {
    name: "InstallationStore: registrationId round-trips and follows each upsert (kept, changed, cleared)",
    body: Effect.gen(function*() {
      const store = yield* InstallationStore
      const input = installation(tenantA, "ins_a", { registrationId: "reg_1" })
      yield* expectEqual(yield* store.upsert(input, secret("c1")), input, "upsert returns it")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, idA), "get"), input, "get")
      yield* expectEqual(yield* store.list(tenantA), [input], "list")
      yield* expectEqual(yield* store.findByAccount(input.providerId, "org_1"), [input], "findByAccount")
      // Status and secret changes leave it alone.
      yield* store.setSecret(tenantA, idA, secret("c2"), T0 + 1)
      yield* store.setStatus(tenantA, idA, "revoked", T0 + 2)
      const registrationOf = Effect.map(
        Effect.flatMap(store.get(tenantA, idA), (row) => expectSome(row, "get")),
        (row) => row.registrationId
      )
      yield* expectEqual(yield* registrationOf, "reg_1", "after setSecret and setStatus")
      const upsertWith = (registrationId: string | null, at: number) =>
        Effect.map(
          store.upsert(installation(tenantA, "ins_new", { registrationId, createdAt: at, updatedAt: at }), secret("c3")),
          (row) => [row.id, row.registrationId]
        )
      yield* expectEqual(yield* upsertWith("reg_1", T0 + 3), [idA, "reg_1"], "kept when passed again")
      yield* expectEqual(yield* upsertWith("reg_2", T0 + 4), [idA, "reg_2"], "changed")
      yield* expectEqual(yield* upsertWith(null, T0 + 5), [idA, null], "cleared (the deployment's app)")
      yield* expectEqual(yield* registrationOf, null, "get after the last upsert")
    })
  },
  {
    name: "InstallationStore: concurrent upserts of one account end in one row and one id",
    body: Effect.gen(function*() {
      const store = yield* InstallationStore
      const results = yield* Effect.all(
        [1, 2, 3, 4, 5, 6].map((n) => store.upsert(installation(tenantA, `ins_${n}`), secret(`c${n}`))),
        { concurrency: "unbounded" }
      )
      const winner = results[0]!.id
      yield* expectEqual(new Set(ids(results)).size, 1, "every upsert returns the same id")
      yield* expectEqual(ids(yield* store.list(tenantA)), [winner], "one row")
    })
  },
  {
    name: "InstallationStore: findByAccount spans tenants and statuses, and nothing else, oldest first",
    body: Effect.gen(function*() {
      const store = yield* InstallationStore
      // Stored newest first: the answer is still oldest first.
      yield* store.upsert(installation(tenantB, "ins_b", { createdAt: T0 + 1 }), secret("b"))
      yield* store.upsert(installation(tenantA, "ins_a"), secret("a"))
      yield* store.setStatus(tenantB, InstallationId.make("ins_b"), "revoked", T0 + 2)
      yield* store.upsert(installation(tenantA, "ins_gh", { providerId: github }), secret("gh"))
      yield* store.upsert(installation(tenantA, "ins_other", { externalAccountId: "org_other" }), secret("o"))
      const found = yield* store.findByAccount(installation(tenantA, "x").providerId, "org_1")
      yield* expectEqual(found.map((row) => [row.tenantId, row.id, row.status]), [
        [tenantA, "ins_a", "active"],
        [tenantB, "ins_b", "revoked"]
      ], "findByAccount")
      yield* expectEqual(yield* store.findByAccount(github, "org_unknown"), [], "findByAccount(unknown)")
    })
  },
  {
    name: "InstallationStore: setStatus, getSecret, setSecret",
    body: Effect.gen(function*() {
      const store = yield* InstallationStore
      yield* store.upsert(installation(tenantA, "ins_a"), secret("c1"))
      yield* expectEqual(yield* expectSome(yield* store.getSecret(tenantA, idA), "getSecret"), secret("c1"), "getSecret")
      yield* expectEqual(yield* store.setSecret(tenantA, idA, secret("c2", null), T0 + 5), true, "setSecret")
      yield* expectEqual(yield* expectSome(yield* store.getSecret(tenantA, idA), "getSecret"), secret("c2", null), "rotated")
      yield* expectEqual(yield* store.setStatus(tenantA, idA, "revoked", T0 + 6), true, "setStatus")
      const row = yield* expectSome(yield* store.get(tenantA, idA), "get")
      yield* expectEqual([row.status, row.updatedAt], ["revoked", T0 + 6], "status and updatedAt")
      const missing = InstallationId.make("ins_missing")
      yield* expectEqual(yield* store.setStatus(tenantA, missing, "revoked", T0), false, "setStatus(missing)")
      yield* expectEqual(yield* store.setSecret(tenantA, missing, secret("x"), T0), false, "setSecret(missing)")
      yield* expectNone(yield* store.getSecret(tenantA, missing), "getSecret(missing)")
    })
  },
  {
    name: "InstallationStore: tenant isolation of every scoped method",
    body: Effect.gen(function*() {
      const store = yield* InstallationStore
      const a = installation(tenantA, "ins_a")
      yield* store.upsert(a, secret("secret_a"))
      yield* expectNone(yield* store.get(tenantB, idA), "get(B, A's id)")
      yield* expectEqual(yield* store.list(tenantB), [], "list(B)")
      yield* expectEqual(yield* store.setStatus(tenantB, idA, "revoked", T0 + 1), false, "setStatus(B, A's id)")
      yield* expectNone(yield* store.getSecret(tenantB, idA), "getSecret(B, A's id)")
      yield* expectEqual(yield* store.setSecret(tenantB, idA, secret("stolen"), T0 + 1), false, "setSecret(B, A's id)")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, idA), "A"), a, "A's row is unchanged")
      yield* expectEqual(yield* expectSome(yield* store.getSecret(tenantA, idA), "A"), secret("secret_a"), "A's secret")
      // The same vendor account under B is B's own installation, and an id may repeat across tenants.
      const b = yield* store.upsert(installation(tenantB, "ins_a", { displayName: "B's" }), secret("secret_b"))
      yield* expectEqual([b.tenantId, b.id, b.displayName], [tenantB, "ins_a", "B's"], "B's upsert")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, idA), "A"), a, "A's row after B's upsert")
    })
  }
]
