/**
 * What every trigger goes through before it can dispatch to a publication, for every provider:
 * the publication's trigger filter, its other filters (team, repo, project, channel ...), and its
 * granularity, which picks the session key (the provider says which key each granularity it
 * supports gives: `linear:issue:<id>`, `slack:thread:<channel>:<ts>` ...). Each refusal is an
 * ignore that says why, in the provider's words.
 *
 * Also here: the create/resume/stop intents (`start`, `resumeOnly`, `stopOrResume`) and the
 * check that an event was made by the provider's own bot, so an agent never answers itself.
 */
import type { Schema } from "effect"
import { SessionKey } from "../domain/Ids.ts"
import type { Granularity, Publication } from "../domain/Publication.ts"
import type { DispatchIntent } from "../domain/SessionDispatch.ts"
import { type DispatchDecision, dispatchTo, ignore } from "./Webhook.ts"

/** The filter every provider may offer: which triggers (mention, assignment ...) a publication listens to. */
export const TRIGGER_FILTER = "trigger"

export type Context = Record<string, Schema.Json>

export type Routed =
  | { readonly _tag: "Route"; readonly sessionKey: SessionKey; readonly context: Context }
  | { readonly _tag: "Skip"; readonly decision: DispatchDecision }

export const skip = (reason: string): Routed => ({ _tag: "Skip", decision: ignore(reason) })

/** A publication filter the event must pass when the publication lists values for it. */
export interface FilterCheck {
  /** The key in `Publication.filters` (`repo`, `team` ...). */
  readonly key: string
  /** Whether the event passes, given the values the publication lists (never empty). */
  readonly admits: (wanted: ReadonlyArray<string>) => boolean
  /** The ignore reason when it does not. */
  readonly outside: string
}

export interface RouteRequest {
  /** The provider's display name, for the reasons. */
  readonly provider: string
  readonly publication: Publication
  /** What happened, as the reasons name it: `Comment.create on ENG-1`. */
  readonly subject: string
  /** Checked against the publication's `trigger` filter; `stop` always passes. Added to the context. */
  readonly trigger?: string | undefined
  /**
   * The triggers a publication without a trigger filter gets; absent, every trigger. Any other
   * trigger is opt-in: only a trigger filter that names it lets it through.
   */
  readonly defaultTriggers?: ReadonlyArray<string> | undefined
  readonly filters?: ReadonlyArray<FilterCheck> | undefined
  /** The session key each supported granularity gives; the others are refused. */
  readonly sessionKeys: Readonly<Partial<Record<Granularity, string>>>
  readonly context: Context
}

/**
 * Whether the publication takes this trigger: no trigger filter means every default trigger
 * (every trigger when the provider names no defaults); a stop is never filtered.
 */
export const listensTo = (publication: Publication, trigger: string, defaultTriggers?: ReadonlyArray<string>): boolean => {
  const chosen = publication.filters[TRIGGER_FILTER] ?? []
  if (trigger === "stop" || chosen.includes(trigger)) return true
  return chosen.length === 0 && (defaultTriggers === undefined || defaultTriggers.includes(trigger))
}

/** The session key and the context for this publication, or why it does not get the event. */
export const route = (request: RouteRequest): Routed => {
  const { publication, trigger } = request
  if (trigger !== undefined && !listensTo(publication, trigger, request.defaultTriggers)) {
    const chosen = publication.filters[TRIGGER_FILTER] ?? []
    return skip(
      chosen.length > 0
        ? `${request.subject} is a "${trigger}" trigger, which this publication's trigger filter leaves out`
        : `${request.subject} is a "${trigger}" trigger, which a publication gets only when its trigger filter names it`
    )
  }
  for (const filter of request.filters ?? []) {
    const wanted = publication.filters[filter.key] ?? []
    if (wanted.length > 0 && !filter.admits(wanted)) return skip(filter.outside)
  }
  const key = request.sessionKeys[publication.granularity]
  if (key === undefined) return skip(`${request.provider} does not support "${publication.granularity}" granularity`)
  return {
    _tag: "Route",
    sessionKey: SessionKey.make(key),
    context: trigger === undefined ? request.context : { trigger, ...request.context }
  }
}

/** True when any wanted value equals any candidate, ignoring case (names such as repos, teams, project keys). */
export const matchesAny = (wanted: ReadonlyArray<string>, ...candidates: ReadonlyArray<string | null | undefined>): boolean => {
  const names = candidates.flatMap((candidate) => candidate === null || candidate === undefined ? [] : [candidate.toLowerCase()])
  return wanted.some((entry) => names.includes(entry.toLowerCase()))
}

/** Whether the actor is the provider's own bot or agent account (ids or logins, compared ignoring case). */
export const isSelf = (actor: string | null | undefined, self: ReadonlyArray<string | null | undefined>): boolean =>
  actor !== null && actor !== undefined && actor.length > 0 && matchesAny([actor], ...self)

type Intent = Omit<DispatchIntent, "sessionKey" | "context" | "mode"> & { readonly context?: Context | undefined }

const intentFor = (routed: Routed, mode: DispatchIntent["mode"], intent: Intent): DispatchDecision =>
  routed._tag === "Skip"
    ? routed.decision
    : dispatchTo({
      sessionKey: routed.sessionKey,
      mode,
      prompt: intent.prompt,
      actor: intent.actor,
      context: intent.context === undefined ? routed.context : { ...routed.context, ...intent.context }
    })

/** Creates the session, or resumes the one bound to the key. */
export const start = (routed: Routed, intent: Intent): DispatchDecision => intentFor(routed, "start", intent)

/** Resumes a live session; creates one only when none was ever bound to the key. */
export const continueSession = (routed: Routed, intent: Intent): DispatchDecision => intentFor(routed, "continue", intent)

/** Resumes a live session and is ignored otherwise (a later comment on an item nobody asked the agent about). */
export const resumeOnly = (routed: Routed, intent: Intent): DispatchDecision => intentFor(routed, "resumeOnly", intent)

/**
 * A stop names one item. When the session is that item's own (the publication's granularity is
 * `itemGranularity`), it stops; a wider session carries other work, so it is told instead
 * (resumed if live) and keeps going.
 */
export const stopOrResume = (
  routed: Routed,
  intent: Intent,
  publication: Publication,
  itemGranularity: Granularity = "issue"
): DispatchDecision => intentFor(routed, publication.granularity === itemGranularity ? "stop" : "resumeOnly", intent)
