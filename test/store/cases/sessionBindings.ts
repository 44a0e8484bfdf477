/** Conformance cases for `SessionBindingStore`: first binding wins (also under a race), isolation. */
import { Effect } from "effect"
import { PublicationId, SessionKey } from "../../../kernel/domain/Ids.ts"
import { SessionBindingStore } from "../../../kernel/store/SessionBindingStore.ts"
import {
  binding,
  expectEqual,
  expectNone,
  expectSome,
  expectTrue,
  publication,
  type StoreCase,
  T0,
  tenantA,
  tenantB
} from "../fixtures.ts"
import { withInstallations } from "./publications.ts"

const pub = PublicationId.make("pub_1")
const key = SessionKey.make("linear:issue:ENG-1")

/** Bindings reference a publication (foreign key): `pub_1` for each tenant given. */
const withPublication = (...tenants: ReadonlyArray<typeof tenantA>) =>
  Effect.gen(function*() {
    for (const tenantId of tenants) {
      const publications = yield* withInstallations(tenantId, "ins_1")
      yield* publications.insert(publication(tenantId, "pub_1", "ins_1"))
    }
    return yield* SessionBindingStore
  })

export const sessionBindingCases: ReadonlyArray<StoreCase> = [
  {
    name: "SessionBindingStore: bind, find, setStatus, list (most recent first)",
    body: Effect.gen(function*() {
      const store = yield* withPublication(tenantA)
      const first = binding(tenantA, "pub_1", "linear:issue:ENG-1", "ses_1")
      yield* expectEqual(yield* store.bind(first), first, "bind returns the new binding")
      yield* expectEqual(yield* expectSome(yield* store.find(tenantA, pub, key), "find"), first, "find")
      yield* expectNone(yield* store.find(tenantA, pub, SessionKey.make("linear:issue:other")), "find(other key)")
      const second = binding(tenantA, "pub_1", "slack:thread:C1:1700000000.000100", "ses_2", T0 + 1)
      yield* store.bind(second)
      yield* expectEqual(yield* store.setStatus(tenantA, pub, key, "closed", T0 + 5), true, "setStatus")
      const closed = { ...first, status: "closed", updatedAt: T0 + 5 } as const
      yield* expectEqual(yield* expectSome(yield* store.find(tenantA, pub, key), "find"), closed, "closed")
      yield* expectEqual(yield* store.list(tenantA, 10), [closed, second], "list")
      yield* expectEqual(yield* store.list(tenantA, 1), [closed], "list limit")
      yield* expectEqual(yield* store.setStatus(tenantA, pub, SessionKey.make("nope"), "live", T0), false, "missing")
    })
  },
  {
    name: "SessionBindingStore: bind keeps an existing binding, whatever its status",
    body: Effect.gen(function*() {
      const store = yield* withPublication(tenantA)
      const first = binding(tenantA, "pub_1", "linear:issue:ENG-1", "ses_1")
      yield* store.bind(first)
      const later = binding(tenantA, "pub_1", "linear:issue:ENG-1", "ses_2", T0 + 9)
      yield* expectEqual(yield* store.bind(later), first, "the first binding wins")
      yield* store.setStatus(tenantA, pub, key, "closed", T0 + 10)
      const closed = { ...first, status: "closed", updatedAt: T0 + 10 } as const
      yield* expectEqual(yield* store.bind(later), closed, "a closed binding still wins")
    })
  },
  {
    name: "SessionBindingStore: concurrent binds of one key all get the winner",
    body: Effect.gen(function*() {
      const store = yield* withPublication(tenantA)
      const candidates = Array.from({ length: 8 }, (_, n) => binding(tenantA, "pub_1", "linear:issue:ENG-1", `ses_${n}`))
      const results = yield* Effect.all(candidates.map(store.bind), { concurrency: "unbounded" })
      const winner = results[0]!
      yield* expectTrue(results.every((result) => result.sessionId === winner.sessionId), "one session for all")
      yield* expectTrue(candidates.some((candidate) => candidate.sessionId === winner.sessionId), "a candidate won")
      yield* expectEqual(yield* expectSome(yield* store.find(tenantA, pub, key), "find"), winner, "stored winner")
    })
  },
  {
    name: "SessionBindingStore: tenant isolation of find, bind, setStatus and list",
    body: Effect.gen(function*() {
      const store = yield* withPublication(tenantA, tenantB)
      const a = binding(tenantA, "pub_1", "linear:issue:ENG-1", "ses_a")
      yield* store.bind(a)
      yield* expectNone(yield* store.find(tenantB, pub, key), "find(B, A's key)")
      yield* expectEqual(yield* store.setStatus(tenantB, pub, key, "closed", T0 + 1), false, "setStatus(B, A's key)")
      yield* expectEqual(yield* store.list(tenantB, 10), [], "list(B)")
      // The same publication id and key under B bind B's own session, not A's.
      const b = binding(tenantB, "pub_1", "linear:issue:ENG-1", "ses_b")
      yield* expectEqual(yield* store.bind(b), b, "B's bind")
      yield* expectEqual(yield* expectSome(yield* store.find(tenantA, pub, key), "A"), a, "A's binding is unchanged")
      yield* expectEqual(yield* store.list(tenantA, 10), [a], "list(A)")
    })
  }
]
