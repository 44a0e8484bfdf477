/**
 * How long a claim on an outbox entry lasts, and the heartbeat that keeps it while a delivery
 * runs. The lease is short so that work a dead process held is retried within seconds; the
 * heartbeat renews it well before it ends, so a slow agent platform does not lose it. Renewal
 * is compare-and-set on the lease (`OutboxStore.renew`): once another claim took the entry over,
 * the old holder can neither renew nor record a failure.
 */
import { Clock, Effect, Option } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { Lease } from "../store/OutboxStore.ts"

/** A claim lasts this long unless renewed: the longest a dead process's work waits for a retry. */
export const LEASE_MS = 6_000
/** Renewed this often while the delivery runs: three renewals may be late before it is lost. */
export const HEARTBEAT_MS = 1_500

export type Renew = (lease: Lease, until: number) => Effect.Effect<Option.Option<Lease>, StoreError>

/**
 * Runs `work` while renewing `lease` every `HEARTBEAT_MS`, and returns its result with the last
 * lease held (what a failure must be recorded under). A renewal is never cut off half way, so
 * the returned lease is the one in the store. A lost lease stops the heartbeat; the work goes
 * on (the request is already out), and its failure will not be recorded over the new holder's.
 */
export const whileLeased = <A, E, R>(
  renew: Renew,
  lease: Lease,
  work: Effect.Effect<A, E, R>
): Effect.Effect<{ readonly result: A; readonly lease: Lease; readonly lost: boolean }, E, R> =>
  Effect.gen(function*() {
    let current = lease
    let lost = false
    const renewOnce = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const renewed = yield* renew(current, now + LEASE_MS).pipe(
        // A store hiccup is not a lost lease: try again at the next beat, the lease has margin.
        Effect.catch((error) => Effect.as(Effect.logWarning("outbox lease renewal failed", error.message), Option.some(current)))
      )
      if (Option.isSome(renewed)) current = renewed.value
      else lost = true
    }).pipe(Effect.uninterruptible)
    const heartbeat = Effect.whileLoop({
      while: () => !lost,
      body: () => Effect.andThen(Effect.sleep(HEARTBEAT_MS), renewOnce),
      step: () => {}
    })
    const result = yield* Effect.scoped(Effect.andThen(Effect.forkScoped(heartbeat), work))
    return { result, lease: current, lost }
  })
