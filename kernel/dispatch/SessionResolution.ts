/**
 * Which session a provider's intent goes to: the live session bound to its key (resume), or a
 * new one bound now (create); `resumeOnly` and `stop` need a live session. Losing a bind race
 * to another delivery resumes the session that won, so one key never gets two creates, which
 * is what lets the outbox put a session's create ahead of its resumes.
 *
 * The session an event creates has an id derived from the event and the publication
 * (`sessionIdFor`), not a random one: deciding the event again (a crash between its bind and its
 * enqueue, then the recovery sweep) finds the live binding its first decision made and knows it
 * as its own, so the dispatch is still the create, sent at once, and not a resume of a session the
 * platform never saw, held back by the outbox's grace for a create that will never come.
 */
import { Effect, Option } from "effect"
import { type EventId, type PublicationId, SessionKey } from "../domain/Ids.ts"
import type { Installation } from "../domain/Installation.ts"
import type { Publication } from "../domain/Publication.ts"
import type { DispatchIntent, SessionDispatch } from "../domain/SessionDispatch.ts"
import type { WebhookEvent } from "../domain/WebhookEvent.ts"
import type { SessionBindingStore } from "../store/SessionBindingStore.ts"

export type Resolution =
  | { readonly _tag: "Enqueue"; readonly mode: "create" | "resume"; readonly sessionId: string; readonly stop: boolean }
  | { readonly _tag: "Ignore"; readonly reason: string }

/** The session `eventId` creates for `publication`: one at most, so the pair names it. */
export const sessionIdFor = (eventId: EventId, publicationId: PublicationId): string =>
  `ses_${eventId.replace(/^evt_/, "")}_${publicationId.replace(/^pub_/, "")}`

export const resolveSession = Effect.fnUntraced(function*(
  bindings: SessionBindingStore["Service"],
  publication: Publication,
  intent: DispatchIntent,
  eventId: EventId,
  now: number
) {
  const sessionKey = SessionKey.make(intent.sessionKey)
  const existing = yield* bindings.find(publication.tenantId, publication.id, sessionKey)
  const live = Option.filter(existing, (binding) => binding.status === "live")
  if (intent.mode === "resumeOnly" || intent.mode === "stop") {
    return Option.match(live, {
      onNone: (): Resolution => ({ _tag: "Ignore", reason: `no live session for ${intent.sessionKey}` }),
      onSome: (binding): Resolution => ({
        _tag: "Enqueue",
        mode: "resume",
        sessionId: binding.sessionId,
        stop: intent.mode === "stop"
      })
    })
  }
  const sessionId = sessionIdFor(eventId, publication.id)
  if (Option.isSome(live)) {
    // Live under this event's own id: this event's earlier decision bound it, and its create may
    // never have been written; otherwise another event's session, resumed.
    const mode = live.value.sessionId === sessionId ? "create" : "resume"
    return { _tag: "Enqueue", mode, sessionId: live.value.sessionId, stop: false } as const
  }
  const bound = Option.isSome(existing)
    ? (yield* bindings.setStatus(publication.tenantId, publication.id, sessionKey, "live", now), existing.value)
    : yield* bindings.bind({
      tenantId: publication.tenantId,
      publicationId: publication.id,
      sessionKey,
      sessionId,
      status: "live",
      createdAt: now,
      updatedAt: now
    })
  // Losing a bind race means another delivery created the session first: resume it.
  return { _tag: "Enqueue", mode: bound.sessionId === sessionId ? "create" : "resume", sessionId: bound.sessionId, stop: false } as const
})

/** The dispatch for one event and publication; its id is the idempotency key the platform sees. */
export const dispatchOf = (
  event: WebhookEvent,
  installation: Installation,
  publication: Publication,
  intent: DispatchIntent,
  resolution: Extract<Resolution, { readonly _tag: "Enqueue" }>,
  now: number
): SessionDispatch => ({
  id: `${event.id}:${publication.id}`,
  tenantId: event.tenantId,
  providerId: event.providerId,
  installationId: installation.id,
  publicationId: publication.id,
  agentId: publication.agentId,
  eventId: event.id,
  deliveryId: event.deliveryId,
  eventType: event.eventType,
  mode: resolution.mode,
  sessionKey: SessionKey.make(intent.sessionKey),
  sessionId: resolution.sessionId,
  prompt: intent.prompt,
  stop: resolution.stop,
  context: intent.context,
  actor: intent.actor,
  createdAt: now
})
