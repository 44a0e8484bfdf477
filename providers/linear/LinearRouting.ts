/**
 * What every Linear event goes through before it can dispatch to a publication, whichever path
 * it came by: the publication must listen to its trigger, the issue must pass the `team` filter,
 * and the granularity must give a session key. Issue granularity keys sessions by issue
 * (`linear:issue:<id>`), so an agent session and the classic path on one issue share a session;
 * workspace granularity keys them by organization (`linear:workspace:<id>`).
 */
import type { Schema } from "effect"
import { Option } from "effect"
import { SessionKey } from "../../kernel/domain/Ids.ts"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Granularity, Publication } from "../../kernel/domain/Publication.ts"
import type { DispatchDecision } from "../../kernel/provider/Webhook.ts"
import { ignore } from "../../kernel/provider/Webhook.ts"

export const TEAM_FILTER = "team"
export const TRIGGER_FILTER = "trigger"

/**
 * How work reaches a publication. `agent_session`: Linear's agent sessions (mention or
 * delegation, follow-up prompts, stop). `assignment` and `mention`: the classic path, for
 * workspaces without agent sessions. `comment`: any later comment resumes a live issue session
 * (opt-in: in a workspace with agent sessions, replies already arrive as prompts).
 */
export const TRIGGERS = ["agent_session", "assignment", "mention", "comment"] as const
export type Trigger = typeof TRIGGERS[number]
export const DEFAULT_TRIGGERS: ReadonlyArray<Trigger> = ["agent_session", "assignment", "mention"]

/** The issue facts routing needs; every payload names at least the id. */
export interface IssueRef {
  readonly id: string
  readonly identifier?: string | null | undefined
  readonly title?: string | null | undefined
  readonly url?: string | null | undefined
  readonly teamId?: string | null | undefined
  readonly team?: { readonly id: string; readonly key?: string | null | undefined } | null | undefined
}

export const present = (value: string | null | undefined): Option.Option<string> =>
  value === undefined || value === null || value.length === 0 ? Option.none() : Option.some(value)

export const appUserIdOf = (installation: Installation): Option.Option<string> =>
  present(installation.metadata["appUserId"])

export const issueName = (issue: IssueRef): string => issue.identifier ?? issue.id

const listensTo = (publication: Publication, trigger: Trigger): boolean => {
  const chosen = publication.filters[TRIGGER_FILTER] ?? []
  return chosen.length === 0 ? DEFAULT_TRIGGERS.includes(trigger) : chosen.includes(trigger)
}

const teamMatches = (issue: IssueRef, wanted: ReadonlyArray<string>): boolean => {
  const ids = [issue.teamId, issue.team?.id].filter((id): id is string => typeof id === "string")
  const key = issue.team?.key?.toLowerCase()
  return wanted.some((entry) => ids.includes(entry) || (key !== undefined && entry.toLowerCase() === key))
}

const sessionKeyFor = (granularity: Granularity, organizationId: string, issue: IssueRef): Option.Option<SessionKey> => {
  switch (granularity) {
    case "workspace":
      return Option.some(SessionKey.make(`linear:workspace:${organizationId}`))
    case "issue":
      return Option.some(SessionKey.make(`linear:issue:${issue.id}`))
    case "thread":
    case "user":
      return Option.none()
  }
}

/**
 * A stop names one issue. An issue session is that issue's work, so it stops; a workspace
 * session carries the work on every issue, so it is told instead (resumed if live) and keeps
 * the rest going.
 */
export const stopMode = (publication: Publication): "stop" | "resumeOnly" =>
  publication.granularity === "issue" ? "stop" : "resumeOnly"

export type Routed =
  | { readonly _tag: "Route"; readonly sessionKey: SessionKey; readonly context: Record<string, Schema.Json> }
  | { readonly _tag: "Skip"; readonly decision: DispatchDecision }

const skip = (reason: string): Routed => ({ _tag: "Skip", decision: ignore(reason) })

/** The session key and the issue's context for this publication, or why it does not get the event. */
export const route = (options: {
  readonly publication: Publication
  readonly trigger: Trigger
  readonly eventName: string
  readonly organizationId: string
  readonly issue: IssueRef
}): Routed => {
  const { eventName, issue, publication, trigger } = options
  if (!listensTo(publication, trigger)) {
    return skip(`${eventName} is a "${trigger}" trigger, which this publication's trigger filter leaves out`)
  }
  const teams = publication.filters[TEAM_FILTER] ?? []
  if (teams.length > 0 && !teamMatches(issue, teams)) {
    const team = issue.team?.key ?? issue.team?.id ?? issue.teamId ?? "an unknown team"
    return skip(`issue ${issueName(issue)} belongs to ${team}, outside this publication's team filter`)
  }
  const sessionKey = sessionKeyFor(publication.granularity, options.organizationId, issue)
  if (Option.isNone(sessionKey)) return skip(`Linear does not support "${publication.granularity}" granularity`)
  return {
    _tag: "Route",
    sessionKey: sessionKey.value,
    context: {
      trigger,
      organizationId: options.organizationId,
      issueId: issue.id,
      issueIdentifier: issue.identifier ?? null,
      issueTitle: issue.title ?? null,
      issueUrl: issue.url ?? null,
      teamId: issue.team?.id ?? issue.teamId ?? null,
      teamKey: issue.team?.key ?? null
    }
  }
}
