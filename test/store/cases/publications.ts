/** Conformance cases for `PublicationStore`: CRUD, partial patches, bulk status, isolation. */
import { Effect } from "effect"
import { InstallationId, PublicationId, SessionKey } from "../../../kernel/domain/Ids.ts"
import { InstallationStore } from "../../../kernel/store/InstallationStore.ts"
import { PublicationStore } from "../../../kernel/store/PublicationStore.ts"
import { SessionBindingStore } from "../../../kernel/store/SessionBindingStore.ts"
import {
  binding,
  expectEqual,
  expectNone,
  expectSome,
  expectStoreError,
  ids,
  installation,
  publication,
  secret,
  type StoreCase,
  T0,
  tenantA,
  tenantB
} from "../fixtures.ts"
import type { TenantId } from "../../../kernel/domain/Ids.ts"

const pubA = PublicationId.make("pub_a")
const insA = InstallationId.make("ins_a")

/** Publications reference an installation (foreign key), so each case installs first. */
export const withInstallations = (tenantId: TenantId, ...installationIds: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const installations = yield* InstallationStore
    for (const [index, id] of installationIds.entries()) {
      yield* installations.upsert(installation(tenantId, id, { externalAccountId: `org_${id}` }), secret(`c_${index}`))
    }
    return yield* PublicationStore
  })

export const publicationCases: ReadonlyArray<StoreCase> = [
  {
    name: "PublicationStore: insert, get, list, listByInstallation (JSON round-trip)",
    body: Effect.gen(function*() {
      const store = yield* withInstallations(tenantA, "ins_a", "ins_b")
      const first = publication(tenantA, "pub_a", "ins_a")
      const second = publication(tenantA, "pub_b", "ins_b", { filters: {}, scopes: [], createdAt: T0 + 1 })
      // Another agent: one agent is published at most once per installation (the Publications rule).
      const third = publication(tenantA, "pub_c", "ins_a", { agentId: "agent_2", granularity: "thread", createdAt: T0 + 2 })
      yield* Effect.forEach([first, second, third], store.insert)
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, pubA), "get"), first, "get")
      yield* expectNone(yield* store.get(tenantA, PublicationId.make("pub_missing")), "get(missing)")
      yield* expectEqual(yield* store.list(tenantA), [first, second, third], "list")
      yield* expectEqual(ids(yield* store.listByInstallation(tenantA, insA)), ["pub_a", "pub_c"], "listByInstallation")
      yield* expectStoreError(store.insert(first), "PublicationStore.insert")
      // A publication references an existing installation (foreign key).
      yield* expectStoreError(store.insert(publication(tenantA, "pub_x", "ins_missing")), "PublicationStore.insert")
    })
  },
  {
    name: "PublicationStore: update applies a partial patch and returns the new row",
    body: Effect.gen(function*() {
      const store = yield* withInstallations(tenantA, "ins_a")
      const original = publication(tenantA, "pub_a", "ins_a")
      yield* store.insert(original)
      const scopesOnly = yield* store.update(tenantA, pubA, { scopes: ["issues:read"] }, T0 + 1)
      yield* expectEqual(
        yield* expectSome(scopesOnly, "update"),
        { ...original, scopes: ["issues:read"], updatedAt: T0 + 1 },
        "scopes only"
      )
      const patch = {
        agentId: "agent_2",
        scopes: [],
        granularity: "workspace",
        filters: { repo: ["a/b"] },
        status: "paused"
      } as const
      const everything = yield* store.update(tenantA, pubA, patch, T0 + 2)
      const expected = { ...original, ...patch, updatedAt: T0 + 2 }
      yield* expectEqual(yield* expectSome(everything, "update"), expected, "every field")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, pubA), "get"), expected, "stored")
      yield* expectEqual(
        yield* expectSome(yield* store.update(tenantA, pubA, {}, T0 + 3), "empty patch"),
        { ...expected, updatedAt: T0 + 3 },
        "an empty patch only touches updatedAt"
      )
      yield* expectNone(yield* store.update(tenantA, PublicationId.make("pub_missing"), { agentId: "x" }, T0), "missing")
    })
  },
  {
    name: "PublicationStore: setStatusByInstallation, delete (bindings go with it)",
    body: Effect.gen(function*() {
      const store = yield* withInstallations(tenantA, "ins_a", "ins_b")
      yield* store.insert(publication(tenantA, "pub_a", "ins_a"))
      yield* store.insert(publication(tenantA, "pub_paused", "ins_a", { agentId: "agent_2", status: "paused" }))
      yield* store.insert(publication(tenantA, "pub_b", "ins_b"))
      yield* expectEqual(yield* store.setStatusByInstallation(tenantA, insA, "paused", T0 + 1), 1, "changed count")
      const statuses = (yield* store.list(tenantA)).map((row) => [row.id, row.status, row.updatedAt])
      yield* expectEqual(statuses, [
        ["pub_a", "paused", T0 + 1],
        ["pub_b", "active", T0],
        ["pub_paused", "paused", T0]
      ], "statuses")
      yield* expectEqual(yield* store.setStatusByInstallation(tenantA, insA, "active", T0 + 2), 2, "resume both")
      const bindings = yield* SessionBindingStore
      yield* bindings.bind(binding(tenantA, "pub_a", "linear:issue:1", "ses_1"))
      yield* expectEqual(yield* store.delete(tenantA, pubA), true, "delete")
      yield* expectEqual(yield* store.delete(tenantA, pubA), false, "delete again")
      yield* expectNone(yield* store.get(tenantA, pubA), "deleted")
      yield* expectNone(
        yield* bindings.find(tenantA, pubA, SessionKey.make("linear:issue:1")),
        "the publication's bindings are deleted with it"
      )
    })
  },
  {
    name: "PublicationStore: tenant isolation of every scoped method",
    body: Effect.gen(function*() {
      const store = yield* withInstallations(tenantA, "ins_a")
      yield* withInstallations(tenantB, "ins_b")
      const a = publication(tenantA, "pub_a", "ins_a")
      yield* store.insert(a)
      yield* expectNone(yield* store.get(tenantB, pubA), "get(B, A's id)")
      yield* expectEqual(yield* store.list(tenantB), [], "list(B)")
      yield* expectEqual(yield* store.listByInstallation(tenantB, insA), [], "listByInstallation(B, A's installation)")
      yield* expectNone(yield* store.update(tenantB, pubA, { agentId: "evil" }, T0 + 1), "update(B, A's id)")
      yield* expectEqual(yield* store.setStatusByInstallation(tenantB, insA, "paused", T0 + 1), 0, "setStatusBy(B)")
      yield* expectEqual(yield* store.delete(tenantB, pubA), false, "delete(B, A's id)")
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, pubA), "A"), a, "A's publication is unchanged")
      // B cannot point a publication at A's installation, and may reuse A's ids for its own.
      yield* expectStoreError(store.insert(publication(tenantB, "pub_x", "ins_a")), "PublicationStore.insert")
      yield* store.insert(publication(tenantB, "pub_a", "ins_b"))
      yield* expectEqual(yield* expectSome(yield* store.get(tenantA, pubA), "A"), a, "A's publication after B's insert")
    })
  }
]
