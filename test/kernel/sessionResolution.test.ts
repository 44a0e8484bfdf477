/**
 * Session resolution when an event is decided again: a crash between a create's bind and its
 * enqueue leaves the binding live and no outbox entry; the recovery sweep decides the event again
 * and must still send the create, claimable at once, not a resume of a session the platform never
 * saw, held back by the outbox's grace for a create that never comes.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { dispatchOf, resolveSession, sessionIdFor } from "../../kernel/dispatch/SessionResolution.ts"
import { type EventId, SessionKey } from "../../kernel/domain/Ids.ts"
import type { DispatchIntent } from "../../kernel/domain/SessionDispatch.ts"
import { SessionBindingStore } from "../../kernel/store/SessionBindingStore.ts"
import { installation, outboxEntry, publication, seededStores, T0, tenantA, webhookEvent } from "../store/fixtures.ts"
import { storesInMemory } from "../support/storesInMemory.ts"

const pub = publication(tenantA, "pub_1", "ins_1")
const intent: DispatchIntent = { sessionKey: SessionKey.make("linear:issue:ENG-1"), prompt: "fix it", mode: "start", context: {}, actor: null }
const first = webhookEvent(tenantA, "evt_first")
const later = webhookEvent(tenantA, "evt_later", { deliveryId: "dlv_later", receivedAt: T0 + 10, body: "{}" })
const owner = installation(tenantA, "ins_1")

const resolve = (eventId: EventId, now: number) =>
  Effect.flatMap(SessionBindingStore, (bindings) => resolveSession(bindings, pub, intent, eventId, now))

/** Tenant A with `ins_1`, `pub_1` and both events stored. */
const seeded = Effect.gen(function*() {
  const stores = yield* seededStores
  yield* stores.events.insertIfAbsent(first)
  yield* stores.events.insertIfAbsent(later)
  return stores
})

describe("resolveSession", () => {
  it.effect("names the session an event creates after the event and the publication", () =>
    Effect.gen(function*() {
      yield* seeded
      const created = yield* resolve(first.id, T0)
      expect(created).toEqual({ _tag: "Enqueue", mode: "create", sessionId: sessionIdFor(first.id, pub.id), stop: false })
      expect(sessionIdFor(first.id, pub.id)).not.toBe(sessionIdFor(later.id, pub.id))
    }).pipe(Effect.provide(storesInMemory)))

  it.effect("decided again after its bind, the event is still the create, claimable at once", () =>
    Effect.gen(function*() {
      const { outbox } = yield* seeded
      yield* resolve(first.id, T0)
      // The process died here: bound, nothing enqueued. The sweep decides the event again.
      const again = yield* resolve(first.id, T0 + 6_000)
      expect(again).toMatchObject({ _tag: "Enqueue", mode: "create", sessionId: sessionIdFor(first.id, pub.id) })
      if (again._tag !== "Enqueue") return
      const dispatch = dispatchOf(first, owner, pub, intent, again, T0 + 6_000)
      const entry = outboxEntry(tenantA, dispatch.id, {
        eventId: first.id,
        dispatch,
        nextAttemptAt: T0 + 6_000,
        createdAt: T0 + 6_000,
        updatedAt: T0 + 6_000
      })
      expect(yield* outbox.enqueue(entry)).toBe(true)
      const claimed = yield* outbox.claim(tenantA, entry.id, T0 + 6_000, 6_000)
      expect(Option.map(claimed, (held) => held.dispatch.mode)).toEqual(Option.some("create"))
    }).pipe(Effect.provide(storesInMemory)))

  it.effect("another event on the live session resumes it", () =>
    Effect.gen(function*() {
      yield* seeded
      yield* resolve(first.id, T0)
      expect(yield* resolve(later.id, T0 + 10)).toEqual({
        _tag: "Enqueue",
        mode: "resume",
        sessionId: sessionIdFor(first.id, pub.id),
        stop: false
      })
    }).pipe(Effect.provide(storesInMemory)))
})
