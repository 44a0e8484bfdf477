/**
 * Maps a decoded Linear event to a dispatch decision for one publication: which session it
 * starts or continues, with which prompt, or why it is ignored. Pure, so a stored event decides
 * the same way after a restart or a replay.
 *
 * Rules, in order: events for another app user and the app user's own events are ignored; the
 * session must be on an issue; the publication's `team` filter (team ids or keys) must match.
 */
import { Option } from "effect"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Granularity, Publication } from "../../kernel/domain/Publication.ts"
import { SessionKey } from "../../kernel/domain/Ids.ts"
import type { DispatchDecision } from "../../kernel/provider/Webhook.ts"
import { dispatchTo, ignore } from "../../kernel/provider/Webhook.ts"
import type { AgentSessionCreated, AgentSessionPrompted, Issue, LinearEvent } from "./LinearEvents.ts"

export const TEAM_FILTER = "team"

type SessionEvent = AgentSessionCreated | AgentSessionPrompted

const present = (value: string | null | undefined): Option.Option<string> =>
  value === undefined || value === null || value.length === 0 ? Option.none() : Option.some(value)

/** The session's issue; a payload that only names the issue id still routes, without team details. */
const issueOf = (event: SessionEvent): Option.Option<Issue> =>
  Option.firstSomeOf([
    Option.fromNullishOr(event.agentSession.issue).pipe(Option.filter((issue) => issue.id.length > 0)),
    present(event.agentSession.issueId).pipe(Option.map((id): Issue => ({ id })))
  ])

/** Who caused the event: the author of the new message, or whoever opened the session. */
const actorIdOf = (event: SessionEvent): Option.Option<string> =>
  event.action === "prompted"
    ? present(event.agentActivity.userId)
    : Option.firstSomeOf([
      present(event.agentSession.creatorId),
      present(event.agentSession.creator?.id),
      present(event.agentSession.comment?.userId)
    ])

const teamMatches = (issue: Issue, wanted: ReadonlyArray<string>): boolean => {
  const ids = [issue.teamId, issue.team?.id].filter((id): id is string => typeof id === "string")
  const key = issue.team?.key?.toLowerCase()
  return wanted.some((entry) => ids.includes(entry) || (key !== undefined && entry.toLowerCase() === key))
}

const sessionKeyFor = (granularity: Granularity, organizationId: string, issue: Issue): Option.Option<SessionKey> => {
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

const issueContext = (event: SessionEvent, issue: Issue) => ({
  organizationId: event.organizationId,
  agentSessionId: event.agentSession.id,
  issueId: issue.id,
  issueIdentifier: issue.identifier ?? null,
  issueTitle: issue.title ?? null,
  issueUrl: issue.url ?? null,
  teamId: issue.team?.id ?? issue.teamId ?? null,
  teamKey: issue.team?.key ?? null,
  commentId: event.agentSession.comment?.id ?? event.agentSession.commentId ?? null
})

/** Linear pre-formats the session's context; older payloads only carry the comment or issue. */
const createdPrompt = (event: AgentSessionCreated, issue: Issue): string =>
  Option.firstSomeOf([
    present(event.promptContext),
    present(event.agentSession.comment?.body),
    present([issue.title, issue.description].filter((part) => part !== undefined && part !== null).join("\n\n"))
  ]).pipe(Option.getOrElse(() => `Work on Linear issue ${issue.identifier ?? issue.id}`))

const actorOf = (event: SessionEvent, actorId: Option.Option<string>) =>
  Option.match(actorId, {
    onNone: () => null,
    onSome: (id) => ({
      id,
      name: event.agentSession.creator?.id === id ? (event.agentSession.creator.name ?? null) : null
    })
  })

const decideSession = (event: SessionEvent, installation: Installation, publication: Publication): DispatchDecision => {
  const appUserId = present(installation.metadata["appUserId"])
  const eventName = `AgentSessionEvent.${event.action}`
  const addressedTo = present(event.appUserId ?? event.agentSession.appUserId)
  if (Option.isSome(appUserId) && Option.isSome(addressedTo) && addressedTo.value !== appUserId.value) {
    return ignore(`${eventName} is addressed to another Linear app user (${addressedTo.value})`)
  }
  const actorId = actorIdOf(event)
  if (Option.isSome(appUserId) && Option.isSome(actorId) && actorId.value === appUserId.value) {
    return ignore(`${eventName} was caused by this app's own Linear user; agents do not answer themselves`)
  }
  const issue = issueOf(event)
  if (Option.isNone(issue)) {
    return ignore(`${eventName} (agent session ${event.agentSession.id}) is not attached to an issue`)
  }
  const teams = publication.filters[TEAM_FILTER] ?? []
  if (teams.length > 0 && !teamMatches(issue.value, teams)) {
    const team = issue.value.team?.key ?? issue.value.team?.id ?? issue.value.teamId ?? "an unknown team"
    return ignore(`issue ${issue.value.identifier ?? issue.value.id} belongs to ${team}, outside this publication's team filter`)
  }
  const sessionKey = sessionKeyFor(publication.granularity, event.organizationId, issue.value)
  if (Option.isNone(sessionKey)) {
    return ignore(`Linear does not support "${publication.granularity}" granularity`)
  }
  const context = issueContext(event, issue.value)
  const actor = actorOf(event, actorId)
  if (event.action === "created") {
    return dispatchTo({
      sessionKey: sessionKey.value,
      prompt: createdPrompt(event, issue.value),
      mode: "start",
      context,
      actor
    })
  }
  const activity = event.agentActivity
  if (activity.signal === "stop") {
    return dispatchTo({ sessionKey: sessionKey.value, prompt: activity.content.body ?? "stop", mode: "stop", context, actor })
  }
  return Option.match(present(activity.content.body), {
    onNone: () => ignore(`${eventName} carries no message body`),
    onSome: (body) =>
      dispatchTo({
        sessionKey: sessionKey.value,
        prompt: body,
        mode: "continue",
        context: { ...context, agentActivityId: activity.id ?? null },
        actor
      })
  })
}

export const decide = (event: LinearEvent, installation: Installation, publication: Publication): DispatchDecision => {
  switch (event._tag) {
    case "SessionCreated":
    case "SessionPrompted":
      return decideSession(event.event, installation, publication)
    case "AppRevoked":
      return ignore(`organization ${event.organizationId} revoked the Linear app; the installation is marked revoked`)
    case "Unhandled":
      return ignore(`Linear event "${event.eventType}" is not handled by this provider`)
  }
}
