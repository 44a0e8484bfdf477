/** Conformance cases for `PublicationStore`: CRUD, partial patches, bulk status, isolation. */
import { Effect } from "effect"
import { InstallationId, PublicationId, SessionKey, TenantId } from "../../../kernel/domain/Ids.ts"
import { InstallationStore } from "../../../kernel/store/InstallationStore.ts"
import { PublicationStore } from "../../../kernel/store/PublicationStore.ts"
import { SessionBindingStore } from "../../../kernel/store/SessionBindingStore.ts"
import { TenantStore } from "../../../kernel/store/TenantStore.ts"
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
    name: "PublicationStore: one agent per installation: a second publication of it there fails, as an agent change onto it does",
    body: Effect.gen(function*() {
      const store = yield* withInstallations(tenantA, "ins_a", "ins_b")
      yield* withInstallations(tenantB, "ins_c")
      const first = publication(tenantA, "pub_a", "ins_a")
      yield* store.insert(first)
      // The same agent again on the same installation, even paused: the unique index refuses it.
      yield* expectStoreError(store.insert(publication(tenantA, "pub_b", "ins_a", { status: "paused" })), "PublicationStore.insert")
      // On another installation, or another tenant's, the same agent is its own publication.
      yield* store.insert(publication(tenantA, "pub_c", "ins_b"))
      yield* store.insert(publication(tenantB, "pub_d", "ins_c"))
      // Another agent on the installation, then renamed onto the first one's: refused too.
      yield* store.insert(publication(tenantA, "pub_e", "ins_a", { agentId: "agent_2", createdAt: T0 + 1 }))
      yield* expectStoreError(store.update(tenantA, PublicationId.make("pub_e"), { agentId: first.agentId }, T0 + 2), "PublicationStore.update")
      yield* expectEqual(ids(yield* store.listByInstallation(tenantA, insA)), ["pub_a", "pub_e"], "listByInstallation")
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
  },
  {
    name: "PublicationStore: sessionReach reads tenant state, publication and installation at once, under the tenant",
    body: Effect.gen(function*() {
      const tenants = yield* TenantStore
      yield* tenants.createTenant({ id: tenantA, name: "Tenant A", createdAt: T0 })
      yield* tenants.createTenant({ id: tenantB, name: "Tenant B", createdAt: T0 })
      const store = yield* withInstallations(tenantA, "ins_a", "ins_b")
      yield* withInstallations(tenantB, "ins_c")
      const a = publication(tenantA, "pub_a", "ins_a")
      yield* store.insert(a)
      yield* store.insert(publication(tenantB, "pub_c", "ins_c"))
      const installations = yield* InstallationStore
      const insAStored = yield* expectSome(yield* installations.get(tenantA, insA), "installation A")

      const reach = yield* store.sessionReach(tenantA, pubA, insA)
      yield* expectEqual(yield* expectSome(reach.tenant, "tenant"), { disabledAt: null }, "tenant enabled")
      yield* expectEqual(yield* expectSome(reach.publication, "publication"), a, "publication (JSON round-trip)")
      yield* expectEqual(yield* expectSome(reach.installation, "installation"), insAStored, "installation (JSON round-trip)")
      yield* expectEqual(
        yield* expectSome(reach.secret, "secret"),
        yield* expectSome(yield* installations.getVersionedSecret(tenantA, insA), "getVersionedSecret"),
        "the installation's secret, as getVersionedSecret reads it"
      )

      // Each part missing on its own; the installation is the one named, not the publication's.
      const otherInstallation = yield* store.sessionReach(tenantA, pubA, InstallationId.make("ins_b"))
      yield* expectEqual(
        (yield* expectSome(otherInstallation.installation, "ins_b")).id,
        InstallationId.make("ins_b"),
        "the named installation"
      )
      const noPublication = yield* store.sessionReach(tenantA, PublicationId.make("pub_missing"), insA)
      yield* expectNone(noPublication.publication, "missing publication")
      yield* expectSome(noPublication.installation, "installation without the publication")
      const noInstallation = yield* store.sessionReach(tenantA, pubA, InstallationId.make("ins_missing"))
      yield* expectSome(noInstallation.publication, "publication without the installation")
      yield* expectNone(noInstallation.installation, "missing installation")
      yield* expectNone(noInstallation.secret, "no secret without the installation")
      const noTenant = yield* store.sessionReach(TenantId.make("ten_missing"), pubA, insA)
      yield* expectNone(noTenant.tenant, "missing tenant")
      yield* expectNone(noTenant.publication, "nothing without the tenant")
      yield* expectNone(noTenant.installation, "nothing without the tenant")

      // Tenant isolation: B's token naming A's rows reaches neither, and A's none of B's.
      const crossed = yield* store.sessionReach(tenantB, pubA, insA)
      yield* expectSome(crossed.tenant, "B exists")
      yield* expectNone(crossed.publication, "A's publication under B")
      yield* expectNone(crossed.installation, "A's installation under B")
      yield* expectNone(crossed.secret, "A's secret under B")
      const crossedBack = yield* store.sessionReach(tenantA, PublicationId.make("pub_c"), InstallationId.make("ins_c"))
      yield* expectNone(crossedBack.publication, "B's publication under A")
      yield* expectNone(crossedBack.installation, "B's installation under A")
      yield* expectNone(crossedBack.secret, "B's secret under A")

      // Changes count at the next read: a disabled tenant, narrowed scopes, a paused publication.
      yield* tenants.setTenantDisabled(tenantA, T0 + 5)
      yield* store.update(tenantA, pubA, { scopes: ["issues:read"], status: "paused" }, T0 + 6)
      yield* installations.setStatus(tenantA, insA, "revoked", T0 + 7)
      const changed = yield* store.sessionReach(tenantA, pubA, insA)
      yield* expectEqual(yield* expectSome(changed.tenant, "tenant"), { disabledAt: T0 + 5 }, "tenant disabled")
      const changedPublication = yield* expectSome(changed.publication, "publication")
      yield* expectEqual([changedPublication.scopes, changedPublication.status], [["issues:read"], "paused"], "publication now")
      yield* expectEqual((yield* expectSome(changed.installation, "installation")).status, "revoked", "installation now")
    })
  }
]
