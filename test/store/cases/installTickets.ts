/** Conformance cases for `InstallTicketStore`: a ticket id redeems once (also under a race), expired records go. */
import { Effect } from "effect"
import { InstallTicketStore } from "../../../kernel/store/InstallTicketStore.ts"
import { expectEqual, type StoreCase, T0, tenantA } from "../fixtures.ts"

export const installTicketCases: ReadonlyArray<StoreCase> = [
  {
    name: "InstallTicketStore: a ticket id redeems once",
    body: Effect.gen(function*() {
      const store = yield* InstallTicketStore
      const ticket = { tenantId: tenantA, ticketId: "jti_1", expiresAt: T0 + 600_000 }
      yield* expectEqual(yield* store.redeem(ticket, T0), true, "first redemption")
      yield* expectEqual(yield* store.redeem(ticket, T0 + 1), false, "second redemption")
      yield* expectEqual(yield* store.redeem({ ...ticket, ticketId: "jti_2" }, T0 + 1), true, "another ticket")
    })
  },
  {
    name: "InstallTicketStore: concurrent redemptions of one ticket: exactly one wins",
    body: Effect.gen(function*() {
      const store = yield* InstallTicketStore
      const ticket = { tenantId: tenantA, ticketId: "jti_race", expiresAt: T0 + 600_000 }
      const results = yield* Effect.all(Array.from({ length: 8 }, () => store.redeem(ticket, T0)), { concurrency: "unbounded" })
      yield* expectEqual(results.filter((fresh) => fresh).length, 1, "winners")
    })
  },
  {
    name: "InstallTicketStore: a record is kept until its ticket expires, then dropped",
    body: Effect.gen(function*() {
      const store = yield* InstallTicketStore
      const ticket = { tenantId: tenantA, ticketId: "jti_old", expiresAt: T0 + 10 }
      yield* store.redeem(ticket, T0)
      yield* expectEqual(yield* store.redeem(ticket, T0 + 9), false, "before expiry")
      // Past its expiry the record goes (the ticket's own expiry check refuses it by then).
      yield* expectEqual(yield* store.redeem(ticket, T0 + 10), true, "after expiry the record is gone")
    })
  }
]
