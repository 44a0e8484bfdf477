/**
 * Agent sessions to dispatches. `created` (a mention or a delegation) starts the issue's
 * session with Linear's prepared prompt context; `prompted` continues it with the user's new
 * message; a `prompted` carrying the `stop` signal stops it (or, at workspace granularity, tells
 * the session, which carries other issues' work too). The agent session id travels in the
 * context, so the agent can post its activities to it. Events for another app user, and events
 * this app's own user caused, are ignored.
 */
import { Option } from "effect"
import type { DecideContext } from "../../../kernel/provider/Events.ts"
import { continueSession, isSelf, start, stopOrResume } from "../../../kernel/provider/Routing.ts"
import { type DispatchDecision, ignore } from "../../../kernel/provider/Webhook.ts"
import { issueName, routeIssue } from "../publication/Routing.ts"
import { appUserIdOf, present } from "./AppUser.ts"
import type { AgentSessionCreated, AgentSessionPrompted, Issue } from "./SessionEvents.ts"

type SessionEvent = AgentSessionCreated | AgentSessionPrompted

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

/** Linear pre-formats the session's context; older payloads only carry the comment or issue. */
const createdPrompt = (event: AgentSessionCreated, issue: Issue): string =>
  Option.firstSomeOf([
    present(event.promptContext),
    present(event.agentSession.comment?.body),
    present([issue.title, issue.description].filter((part) => part !== undefined && part !== null).join("\n\n"))
  ]).pipe(Option.getOrElse(() => `Work on Linear issue ${issueName(issue)}`))

/** Names what to stop, since a workspace session carries other issues' work too. */
const stopPrompt = (issue: Issue, agentSessionId: string, body: string | null | undefined): string => {
  const said = present(body?.trim()).pipe(Option.filter((text) => text.toLowerCase() !== "stop"))
  const what = `Stop working on ${issueName(issue)} (Linear agent session ${agentSessionId})`
  return Option.match(said, { onNone: () => what, onSome: (text) => `${what}: ${text}` })
}

export const decideSession = (event: SessionEvent, { installation, publication }: DecideContext): DispatchDecision => {
  const appUserId = Option.getOrUndefined(appUserIdOf(installation))
  const eventName = `AgentSessionEvent.${event.action}`
  const addressedTo = present(event.appUserId ?? event.agentSession.appUserId)
  if (appUserId !== undefined && Option.isSome(addressedTo) && addressedTo.value !== appUserId) {
    return ignore(`${eventName} is addressed to another Linear app user (${addressedTo.value})`)
  }
  const actorId = actorIdOf(event)
  if (isSelf(Option.getOrUndefined(actorId), [appUserId])) {
    return ignore(`${eventName} was caused by this app's own Linear user; agents do not answer themselves`)
  }
  const issue = issueOf(event)
  if (Option.isNone(issue)) {
    return ignore(`${eventName} (agent session ${event.agentSession.id}) is not attached to an issue`)
  }
  const { organizationId } = event
  const routed = routeIssue({ publication, trigger: "agent_session", eventName, organizationId, issue: issue.value })
  if (routed._tag === "Skip") return routed.decision
  const creator = event.agentSession.creator
  const actor = Option.match(actorId, {
    onNone: () => null,
    onSome: (id) => ({ id, name: creator?.id === id ? (creator.name ?? null) : null })
  })
  const context = {
    agentSessionId: event.agentSession.id,
    commentId: event.agentSession.comment?.id ?? event.agentSession.commentId ?? null
  }
  if (event.action === "created") return start(routed, { prompt: createdPrompt(event, issue.value), actor, context })
  const activity = event.agentActivity
  if (activity.signal === "stop") {
    const prompt = stopPrompt(issue.value, event.agentSession.id, activity.content.body)
    return stopOrResume(routed, { prompt, actor, context: { ...context, stopRequested: true } }, publication)
  }
  return Option.match(present(activity.content.body), {
    onNone: () => ignore(`${eventName} carries no message body`),
    onSome: (prompt) => continueSession(routed, { prompt, actor, context: { ...context, agentActivityId: activity.id ?? null } })
  })
}
