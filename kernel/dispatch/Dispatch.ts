/**
 * From a stored webhook event to delivered session dispatches.
 *
 * `decide` asks the provider what the event means for each active publication of the
 * installation, binds session keys (create vs resume), and writes one outbox entry per
 * dispatch; `deliver` mints the MCP token and hands the dispatch to the SessionSink, with
 * backoff and dead letters. Entries are keyed by event and publication, so deciding an event
 * twice never dispatches twice, and the entry id is the dispatch's idempotency key.
 *
 * A delivery runs under a short lease that a heartbeat renews (`Lease.ts`), bounded by the sink
 * timeout; the store hands out a session's entries one at a time, in order. Each process runs
 * at most `dispatchConcurrency` deliveries at once (SWITCHBOARD_DISPATCH_CONCURRENCY), each on its
 * own fiber, so a hung call holds one slot and never the others. `poll` (the in-process poller's
 * pass) starts what is due and returns; from the first pass on, whenever a delivery ends with
 * entries left waiting for a slot, the freed slots claim them at once, not a pass later. `drain`
 * (the Workers cron) also waits for what it started.
 */
import { Clock, Context, Effect, FiberSet, Layer, Option } from "effect"
import { SinkError, type StoreError } from "../domain/Errors.ts"
import type { EventId, TenantId } from "../domain/Ids.ts"
import type { Installation } from "../domain/Installation.ts"
import { isPruned, type Replayed, UNROUTED_TENANT, type WebhookEvent } from "../domain/WebhookEvent.ts"
import { KernelConfig } from "../KernelConfig.ts"
import * as Metrics from "../observability/Metrics.ts"
import { spanWhenTraced } from "../observability/Spans.ts"
import { Registry } from "../registry/Registry.ts"
import { type DecodedWebhook, receiverOf } from "../webhooks/Receiver.ts"
import { InstallationStore } from "../store/InstallationStore.ts"
import { TenantStore } from "../store/TenantStore.ts"
import { leaseOf, type OutboxEntry, OutboxStore } from "../store/OutboxStore.ts"
import { PublicationStore } from "../store/PublicationStore.ts"
import { SessionBindingStore } from "../store/SessionBindingStore.ts"
import { WebhookEventStore } from "../store/WebhookEventStore.ts"
import { SessionTokens } from "../vault/SessionTokens.ts"
import { nextTurn } from "../runtime/NextTurn.ts"
import { nextAttemptAt } from "./Backoff.ts"
import { dispatchOf, resolveSession } from "./SessionResolution.ts"
import { HEARTBEAT_MS, LEASE_MS, whileLeased } from "./Lease.ts"
import { SessionSink } from "./SessionSink.ts"

/**
 * Events acknowledged but still undecided after this long are decided by the poller: long
 * enough not to race the decision that follows the ack, short enough that what a crash left
 * undecided is dispatched within seconds of the restart (deciding twice is harmless).
 */
const UNDECIDED_GRACE_MS = 5_000
/**
 * A sweep takes the leftovers it decides for this long (`claimUndecided`): instances sharing the
 * database divide them instead of each deciding all; a sweeper that dies leaves them to the next
 * sweep this much later.
 */
const LEFTOVER_CLAIM_MS = 5_000
/** Leftovers one pass decides; a pass that finds this many passes again soon (`MIN_PASS_GAP_MS`). */
const LEFTOVER_BATCH = 100
/** Claim rounds one `drain` runs while every slot filled. */
const DRAIN_ROUNDS = 4
/** One event-loop turn (a macrotask), whatever the Clock. */
const nextTurnEffect: Effect.Effect<void> = Effect.callback<void>((resume) => nextTurn(() => resume(Effect.void)))

/** A decision's hold on a delivery slot (`inFlight`), by the entry's flight key. */
interface Slot {
  key: string | undefined
}

/** The poller's longest wait between passes. */
export const POLL_EVERY_MS = 2_000
/**
 * Its shortest: a backlog of leases or leftovers falling due one after another is taken up in
 * passes this far apart at most ten a second, each claiming all that is due by then.
 */
const MIN_PASS_GAP_MS = 100
/**
 * Deliveries one process runs at once when the configuration names no number. A delivery mostly
 * waits for the agent platform's answer, so this is what bounds the dispatches a process sends a
 * second: 64 over 200 ms answers is 320 (32 was 160). More at once takes more of the event loop
 * from ingest under saturation. Under the bench's dispatch load (a sink that answers at once,
 * December 2026), against 32: 64 took 8% fewer webhooks during the load and the backlog left at
 * its end drained in ~2.7 s instead of ~5; 128 took a third fewer and left a fifth of the
 * backlog, drained in under a second. Past it, due entries wait for a slot.
 */
export const DEFAULT_DISPATCH_CONCURRENCY = 64
/** Free slots a delivery that ends waits for before it claims again (`claimsAgain`). */
const TOP_UP_BATCH = 8
/** When the configuration names no sink timeout. */
const DEFAULT_SINK_TIMEOUT_MS = 30_000

export class Dispatch extends Context.Service<Dispatch, {
  /** Decides a stored event; `decoded` saves decoding again when the caller just did. */
  /**
   * `owner`, when the caller has just read it (the receive pipeline), is the event's installation
   * as read for routing; otherwise it is looked up by the event's account.
   */
  readonly decide: (
    event: WebhookEvent,
    decoded: Option.Option<DecodedWebhook>,
    owner?: Installation | undefined
  ) => Effect.Effect<void, StoreError>
  /** Delivers a claimed entry (under the lease its claim returned) and records the outcome. */
  readonly deliver: (entry: OutboxEntry) => Effect.Effect<void, StoreError>
  /** Decides events left undecided by a crash, delivers what is due and waits for it (cron). */
  readonly drain: Effect.Effect<void, StoreError>
  /**
   * As `drain`, but starts the deliveries on the kernel's fibers and returns (the poller's pass):
   * with the milliseconds until the next pass, `POLL_EVERY_MS` or less when something falls due
   * sooner (a lease its dead holder left, a backoff ending, an undecided event becoming a
   * leftover, a whole batch of leftovers just decided), never under `MIN_PASS_GAP_MS`.
   */
  readonly poll: Effect.Effect<number, StoreError>
  /**
   * Sends an event's dispatches again (delivered or dead), or decides it again if it had none;
   * an event retention emptied is not decided again ("pruned").
   */
  readonly replay: (tenantId: TenantId, eventId: EventId) => Effect.Effect<Replayed, StoreError>
}>()("switchboard/dispatch/Dispatch") {
  static readonly layer = Layer.effect(
    Dispatch,
    Effect.gen(function*() {
      const registry = yield* Registry
      const config = yield* KernelConfig
      const events = yield* WebhookEventStore
      const installations = yield* InstallationStore
      const tenants = yield* TenantStore
      const publications = yield* PublicationStore
      const bindings = yield* SessionBindingStore
      const outbox = yield* OutboxStore
      const sink = yield* SessionSink
      const sessionTokens = yield* SessionTokens
      const sinkTimeoutMs = config.sinkTimeoutMs ?? DEFAULT_SINK_TIMEOUT_MS
      const maxInFlight = config.dispatchConcurrency ?? DEFAULT_DISPATCH_CONCURRENCY
      const topUpBatch = Math.min(TOP_UP_BATCH, maxInFlight)
      const running = yield* FiberSet.make<void, never>()
      // Entries this process is delivering: never twice at once, even if a stalled heartbeat
      // let the lease lapse and a pass of this same process claimed the entry again.
      const inFlight = new Set<string>()
      const flightKey = (tenantId: TenantId, id: string) => `${tenantId}/${id}`

      const ignoreEvent = (event: WebhookEvent, reason: string) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => events.setStatus(event.tenantId, event.id, "ignored", reason, now)).pipe(
          Effect.andThen(Effect.logInfo("webhook ignored", reason))
        )

      const timedOut = new SinkError({
        reason: "Timeout",
        message: `the session sink did not answer within ${sinkTimeoutMs} ms`,
        retryable: true
      })

      // Spans only while tracing, without the call-site stack trace Effect.fn captures per call:
      // both run per event.
      const deliver = Effect.fnUntraced(function*(entry: OutboxEntry) {
        const dispatch = entry.dispatch
        const publication = yield* publications.get(entry.tenantId, dispatch.publicationId)
        const now = yield* Clock.currentTimeMillis
        if (Option.isNone(publication) || publication.value.status !== "active") {
          // Nothing can act for a paused or deleted publication: dead letter, replayable later.
          yield* outbox.markFailed(entry.tenantId, entry.id, leaseOf(entry), "publication is paused or deleted", null, now)
          return yield* Metrics.recordDispatch(dispatch.providerId, "dead", now - entry.createdAt)
        }
        const minted = yield* sessionTokens.mint({
          tenantId: dispatch.tenantId,
          publicationId: dispatch.publicationId,
          installationId: dispatch.installationId,
          sessionKey: dispatch.sessionKey,
          scopes: publication.value.scopes
        })
        const send = sink.deliver({
          dispatch,
          mcp: { url: `${config.publicUrl}/mcp`, token: minted.token, expiresAt: minted.expiresAt },
          attempt: entry.attempts
        }).pipe(
          // Whatever the sink, a hung call ends here, and its slot with it.
          Effect.timeoutOrElse({ duration: sinkTimeoutMs, orElse: () => Effect.fail(timedOut) }),
          Effect.match({ onSuccess: () => Option.none<SinkError>(), onFailure: Option.some })
        )
        const sent = yield* whileLeased(
          (lease, until) => outbox.renew(entry.tenantId, entry.id, lease, until),
          leaseOf(entry),
          send
        )
        const at = yield* Clock.currentTimeMillis
        if (Option.isNone(sent.result)) {
          yield* outbox.markDelivered(entry.tenantId, entry.id, at)
          yield* Metrics.recordDispatch(dispatch.providerId, "delivered", at - entry.createdAt)
          return yield* Effect.logInfo("dispatch delivered")
        }
        const error = sent.result.value
        const retryAt = error.retryable ? nextAttemptAt(entry.attempts, at) : null
        const recorded = yield* outbox.markFailed(
          entry.tenantId,
          entry.id,
          sent.lease,
          `${error.reason}: ${error.message}`,
          retryAt,
          at
        )
        if (recorded) yield* Metrics.recordDispatch(dispatch.providerId, retryAt === null ? "dead" : "retry", at - entry.createdAt)
        // Not recorded: another claim holds the entry now, and its outcome is the one that counts.
        yield* Effect.logWarning(recorded ? "dispatch failed" : "dispatch failed after its lease was lost", error.message)
      }, (effect, entry) =>
        effect.pipe(
          Effect.annotateLogs({ correlationId: entry.dispatch.deliveryId, dispatchId: entry.id }),
          spanWhenTraced("Dispatch.deliver", { correlationId: entry.dispatch.deliveryId })
        ))

      /**
       * Whether entries may be due that no slot took: the last claim filled every free slot, or
       * an entry was written due while every slot was taken. Cleared by a claim that finds fewer.
       */
      let backlog = false
      // Set by the poller's first pass: from then on a freed slot claims what waits (`freed`).
      // Not on Workers (no poller), whose deliveries must end within the invocation that awaits them.
      let polling = false
      /**
       * Whether freed slots claim now: while there is a backlog, once `TOP_UP_BATCH` slots are
       * free (a claim costs about as much for one entry as for eight: the backlog then drains at
       * three quarters of full concurrency or more, for a fraction of the statements). When the
       * last delivery ends every slot is free, so a backlog never waits for the next pass.
       */
      const claimsAgain = () => backlog && maxInFlight - inFlight.size >= topUpBatch
      /**
       * After a slot is freed (a delivery ended, a decision let its slot go): claims what waits
       * for one, on the next turn, so the slots freed within a turn share one claim statement.
       */
      const freed: Effect.Effect<void> = Effect.suspend(() => polling && claimsAgain() ? topUpNextTurn : Effect.void)
      const release = (key: string) =>
        Effect.suspend(() => {
          inFlight.delete(key)
          return freed
        })

      /** Delivers a claimed entry unless this process is delivering it already. */
      const attempt = (entry: OutboxEntry) =>
        Effect.suspend(() => {
          const key = flightKey(entry.tenantId, entry.id)
          if (inFlight.has(key)) return Effect.void
          inFlight.add(key)
          return deliver(entry).pipe(Effect.ensuring(release(key)))
        })

      /**
       * Delivers an entry written claimed, whose slot its decision took. Past a heartbeat since
       * the claim (a slow database between the enqueue and now), the lease is renewed first, and
       * the entry left to its new holder if it was lost.
       */
      const heldAttempt = (entry: OutboxEntry) =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          if (now - entry.updatedAt < HEARTBEAT_MS) return yield* deliver(entry)
          const renewed = yield* outbox.renew(entry.tenantId, entry.id, leaseOf(entry), now + LEASE_MS)
          if (Option.isSome(renewed)) yield* deliver({ ...entry, attempts: renewed.value.attempt, nextAttemptAt: renewed.value.until })
        }).pipe(Effect.ensuring(release(flightKey(entry.tenantId, entry.id))))

      const deliverNow = Effect.fnUntraced(function*(tenantId: TenantId, id: string) {
        if (inFlight.has(flightKey(tenantId, id))) return
        if (inFlight.size >= maxInFlight) {
          // The entry stays due: the next slot freed claims it (`freed`), or else the next pass.
          backlog = true
          return
        }
        const claimed = yield* outbox.claim(tenantId, id, yield* Clock.currentTimeMillis, LEASE_MS)
        if (Option.isSome(claimed)) yield* attempt(claimed.value)
      })

      const rawOf = (event: WebhookEvent) => ({
        headers: new Headers(Object.entries(event.headers)),
        body: new TextEncoder().encode(event.body),
        receivedAt: event.receivedAt
      })

      // The slot a decision took for the entry it writes claimed is the decision's until that
      // entry's delivery starts (which frees it when it ends), or until the decision ends before.
      const decideFor = (event: WebhookEvent, decoded: DecodedWebhook, installation: Installation) =>
        Effect.suspend(() => {
          const slot: Slot = { key: undefined }
          return decideWrites(event, decoded, installation, slot).pipe(
            Effect.ensuring(Effect.suspend(() => slot.key === undefined ? Effect.void : release(slot.key)))
          )
        })
      const decideWrites = Effect.fnUntraced(function*(
        event: WebhookEvent,
        decoded: DecodedWebhook,
        installation: Installation,
        slot: Slot
      ) {
        const now = yield* Clock.currentTimeMillis
        const active = (yield* publications.listByInstallation(event.tenantId, installation.id)).filter((publication) =>
          publication.status === "active"
        )
        if (active.length === 0) return yield* ignoreEvent(event, "no active publication for this installation")
        const reasons: Array<string> = []
        const enqueued: Array<string> = []
        // The entry written claimed, its slot taken; and the entries written due.
        let held: OutboxEntry | undefined
        const due: Array<string> = []
        for (const publication of active) {
          const decision = decoded.decide(installation, publication)
          if (decision._tag === "Ignore") {
            reasons.push(decision.reason)
            continue
          }
          const resolution = yield* resolveSession(bindings, publication, decision.intent, event.id, now)
          if (resolution._tag === "Ignore") {
            reasons.push(resolution.reason)
            continue
          }
          const dispatch = dispatchOf(event, installation, publication, decision.intent, resolution, now)
          const entry: OutboxEntry = {
            id: dispatch.id,
            tenantId: event.tenantId,
            eventId: event.id,
            dispatch,
            status: "pending",
            attempts: 0,
            nextAttemptAt: now,
            lastError: null,
            createdAt: now,
            updatedAt: now
          }
          // A create is first of its session the moment it is written (nothing of a session
          // ranks ahead of its create, the one its bind made) and due: what the claim after the
          // enqueue would do, it is written with (counted attempt, lease), so it needs no claim
          // statement of its own. One per decision, sent first, so its lease is fresh when it
          // goes; only while a slot is free, which it holds from now until it is sent.
          const key = flightKey(event.tenantId, entry.id)
          if (
            resolution.mode === "create" && held === undefined && inFlight.size < maxInFlight && !inFlight.has(key)
          ) {
            inFlight.add(key)
            slot.key = key
            const claimed: OutboxEntry = { ...entry, attempts: 1, nextAttemptAt: now + LEASE_MS }
            // Not inserted: decided before, and that decision's entry is claimed as usual.
            if (yield* outbox.enqueue(claimed)) held = claimed
            else {
              inFlight.delete(key)
              slot.key = undefined
              due.push(entry.id)
            }
          } else {
            yield* outbox.enqueue(entry)
            due.push(entry.id)
          }
          enqueued.push(dispatch.id)
        }
        // Publications often refuse an event for the same reason: say each reason once.
        const reason = [...new Set(reasons)].join("; ")
        if (enqueued.length === 0) return yield* ignoreEvent(event, reason)
        yield* events.setStatus(event.tenantId, event.id, "dispatched", reason.length > 0 ? reason : null, now)
        if (held !== undefined) {
          slot.key = undefined
          yield* heldAttempt(held)
        }
        yield* Effect.forEach(due, (id) => deliverNow(event.tenantId, id), { discard: true })
      })

      const decideOnce = Effect.fnUntraced(function*(event: WebhookEvent, known: Option.Option<DecodedWebhook>, owner: Installation | undefined) {
        if (event.tenantId === UNROUTED_TENANT) return
        // A disabled tenant's events are kept (nothing acknowledged is lost) but dispatch nothing.
        const tenant = yield* tenants.getTenant(event.tenantId)
        if (Option.isSome(tenant) && tenant.value.disabledAt !== undefined) {
          return yield* ignoreEvent(event, "the tenant is disabled")
        }
        const provider = registry.get(event.providerId)
        if (Option.isNone(provider)) return yield* ignoreEvent(event, `provider ${event.providerId} is no longer registered`)
        const decoded = Option.isSome(known) ? known : yield* Effect.option(receiverOf(provider.value).reread(rawOf(event)))
        if (Option.isNone(decoded)) {
          const now = yield* Clock.currentTimeMillis
          return yield* events.setStatus(event.tenantId, event.id, "failed", "the stored event no longer decodes", now)
        }
        const installation = owner !== undefined && owner.tenantId === event.tenantId && owner.providerId === event.providerId
          ? owner
          : (yield* installations.findByAccount(event.providerId, event.externalAccountId ?? "")).find((candidate) =>
            candidate.tenantId === event.tenantId
          )
        if (installation === undefined) return yield* ignoreEvent(event, "no installation for this account")
        if (installation.status !== "active") return yield* ignoreEvent(event, "installation is revoked")
        yield* decideFor(event, decoded.value, installation)
      })

      // Two decisions of one event at once (the one after the ack and the poller's) could bind
      // the session in one and enqueue a resume of it from the other: one at a time per process.
      const deciding = new Set<string>()
      const decide = Effect.fnUntraced(function*(
        event: WebhookEvent,
        known: Option.Option<DecodedWebhook>,
        owner?: Installation | undefined
      ) {
        const key = `${event.tenantId}/${event.id}`
        if (deciding.has(key)) return
        deciding.add(key)
        yield* decideOnce(event, known, owner).pipe(Effect.ensuring(Effect.sync(() => deciding.delete(key))))
      }, (effect, event) =>
        effect.pipe(
          Effect.annotateLogs({ correlationId: event.deliveryId, eventId: event.id }),
          spanWhenTraced("Dispatch.decide", { correlationId: event.deliveryId })
        ))

      /** Decides a batch of leftovers; whether it was a whole batch (more may be waiting). */
      const decideLeftovers = Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const undecided = yield* events.claimUndecided(now - UNDECIDED_GRACE_MS, now, LEFTOVER_CLAIM_MS, LEFTOVER_BATCH)
        yield* Effect.forEach(undecided, (event) => decide(event, Option.none()), { discard: true })
        return undecided.length >= LEFTOVER_BATCH
      })

      const claimFree = Effect.gen(function*() {
        const free = maxInFlight - inFlight.size
        if (free <= 0) {
          backlog = true
          return []
        }
        const due = yield* outbox.claimDue(yield* Clock.currentTimeMillis, LEASE_MS, free)
        backlog = due.length >= free
        return due
      })

      const logFailure = (error: StoreError) => Effect.logWarning("outbox delivery failed", error.message)

      /**
       * Claims what is due into the free slots and starts each delivery on its own fiber; any
       * delivery that ends while there is a backlog claims again (`freed`), so a backlog drains
       * without waiting for the next pass.
       */
      const topUp = (): Effect.Effect<void> =>
        claimFree.pipe(
          Effect.flatMap((due) =>
            Effect.forEach(due, (entry) => FiberSet.run(running, Effect.catch(attempt(entry), logFailure)), { discard: true })
          ),
          Effect.catch(logFailure)
        )

      let toppingUp = false
      const topUpNextTurn: Effect.Effect<void> = Effect.suspend(() => {
        if (toppingUp) return Effect.void
        toppingUp = true
        return FiberSet.run(
          running,
          nextTurnEffect.pipe(
            Effect.andThen(Effect.sync(() => {
              toppingUp = false
            })),
            Effect.andThen(Effect.suspend(topUp))
          )
        ).pipe(Effect.asVoid)
      })

      // Waits for what it starts (the cron's invocation must outlive its deliveries); a few
      // rounds while every slot filled, so one cron tick moves a backlog along.
      const drain = Effect.gen(function*() {
        yield* decideLeftovers
        for (let round = 0; round < DRAIN_ROUNDS; round++) {
          const due = yield* claimFree
          yield* Effect.forEach(due, attempt, { discard: true, concurrency: "unbounded" })
          if (!backlog) return
        }
      }).pipe(Effect.withSpan("Dispatch.drain"))

      // Waking as the next lease or backoff ends, or as the next undecided event becomes a
      // leftover, not up to a pass later: what a crashed process held or left undecided is taken
      // up as soon as it may be (about LEASE_MS after the crash), and a retry goes out on time.
      // After a whole batch of leftovers, soon: a crash under load can leave thousands, which a
      // batch every POLL_EVERY_MS would take minutes to decide.
      const untilNextPass = (moreLeftovers: boolean) => Effect.gen(function*() {
        if (moreLeftovers) return MIN_PASS_GAP_MS
        const now = yield* Clock.currentTimeMillis
        const due = yield* outbox.nextDueAfter(now)
        const undecided = yield* events.firstUndecidedSince(now - UNDECIDED_GRACE_MS)
        // `claimUndecided` takes events received strictly before `now - UNDECIDED_GRACE_MS`.
        const wakes = [
          POLL_EVERY_MS,
          ...(Option.isSome(due) ? [due.value - now + 1] : []),
          ...(Option.isSome(undecided) ? [undecided.value + UNDECIDED_GRACE_MS - now + 1] : [])
        ]
        return Math.max(MIN_PASS_GAP_MS, Math.min(...wakes))
      })

      const poll = Effect.gen(function*() {
        polling = true
        const moreLeftovers = yield* decideLeftovers
        yield* topUp()
        return yield* untilNextPass(moreLeftovers)
      }).pipe(Effect.withSpan("Dispatch.poll"))

      const replay = Effect.fn("Dispatch.replay")(function*(tenantId: TenantId, eventId: EventId) {
        const event = yield* events.get(tenantId, eventId)
        if (Option.isNone(event)) return "missing" as const
        if (isPruned(event.value)) return "pruned" as const
        const entries = yield* outbox.list(tenantId, { eventId, limit: 100 })
        if (entries.length === 0) {
          yield* decide(event.value, Option.none())
          return "replayed" as const
        }
        const now = yield* Clock.currentTimeMillis
        for (const entry of entries) {
          yield* outbox.requeue(tenantId, entry.id, now)
          yield* deliverNow(tenantId, entry.id)
        }
        return "replayed" as const
      })

      return Dispatch.of({ decide, deliver, drain, poll, replay })
    })
  )
}
