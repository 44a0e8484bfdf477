/**
 * The classic path, for workspaces that do not use agent sessions: data-change webhooks.
 *
 * - `Issue.create` / `Issue.update` that makes the app user the assignee starts (or resumes) the
 *   issue's session with the issue as the prompt; an update that takes the issue away from it
 *   stops a live session. `updatedFrom.assigneeId` tells an assignment apart from any other
 *   edit of an issue that happens to be assigned to the app already. (At workspace granularity
 *   a stop only tells the workspace session: it carries other issues' work too.)
 * - `Comment.create` that mentions the app user starts (or resumes) the issue's session with
 *   the comment as the prompt; with the opt-in `comment` trigger, any other new comment resumes
 *   a live issue session.
 *
 * What the app's own user did (its comments, its assignments) is ignored, so the agent never
 * answers itself. Every ignore says why.
 */
import { Option } from "effect"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Publication } from "../../kernel/domain/Publication.ts"
import type { DispatchDecision } from "../../kernel/provider/Webhook.ts"
import { dispatchTo, ignore } from "../../kernel/provider/Webhook.ts"
import type { CommentCreated, IssueChanged } from "./LinearDataEvents.ts"
import { handlesOf, mentionsAppUser } from "./LinearMentions.ts"
import { appUserIdOf, type IssueRef, issueName, present, route, stopMode, type Trigger } from "./LinearRouting.ts"

const NO_APP_USER = "the installation does not record its Linear app user; reinstall it to use assignments and mentions"

const actorOf = (id: Option.Option<string>, name: string | null | undefined) =>
  Option.match(id, { onNone: () => null, onSome: (actorId) => ({ id: actorId, name: name ?? null }) })

const assignmentPrompt = (issue: IssueChanged["data"], by: string | null | undefined): string =>
  [
    `${by ?? "Someone"} assigned you the Linear issue ${issueName(issue)}: ${issue.title ?? "(untitled)"}`,
    issue.description ?? ""
  ].filter((part) => part.length > 0).join("\n\n")

export const decideIssue = (event: IssueChanged, installation: Installation, publication: Publication): DispatchDecision => {
  const eventName = `Issue.${event.action}`
  const appUserId = appUserIdOf(installation)
  if (Option.isNone(appUserId)) return ignore(`${eventName}: ${NO_APP_USER}`)
  const actorId = present(event.actor?.id)
  if (Option.contains(actorId, appUserId.value)) {
    return ignore(`${eventName} on ${issueName(event.data)} was made by this app's own Linear user`)
  }
  const changed = event.action === "create" || Object.hasOwn(event.updatedFrom ?? {}, "assigneeId")
  if (!changed) return ignore(`${eventName} on ${issueName(event.data)} does not change its assignee`)
  const assignedNow = event.data.assigneeId === appUserId.value
  const previous = event.updatedFrom?.["assigneeId"]
  const assignedBefore = event.action === "update" && previous === appUserId.value
  if (assignedNow === assignedBefore) {
    return ignore(`${eventName} on ${issueName(event.data)} does not assign it to or take it from this app user`)
  }
  const routed = route({ publication, trigger: "assignment", eventName, organizationId: event.organizationId, issue: event.data })
  if (routed._tag === "Skip") return routed.decision
  const actor = actorOf(actorId, event.actor?.name)
  const context = { ...routed.context, agentSessionId: null, commentId: null }
  return assignedNow
    ? dispatchTo({ sessionKey: routed.sessionKey, prompt: assignmentPrompt(event.data, event.actor?.name), mode: "start", context, actor })
    : dispatchTo({
      sessionKey: routed.sessionKey,
      prompt: `${event.actor?.name ?? "Someone"} unassigned you from ${issueName(event.data)}; stop working on it`,
      mode: stopMode(publication),
      context: { ...context, stopRequested: true },
      actor
    })
}

const commentIssue = (event: CommentCreated): Option.Option<IssueRef> =>
  Option.firstSomeOf([
    Option.fromNullishOr(event.data.issue),
    present(event.data.issueId).pipe(Option.map((id): IssueRef => ({ id })))
  ])

export const decideComment = (event: CommentCreated, installation: Installation, publication: Publication): DispatchDecision => {
  const eventName = "Comment.create"
  const appUserId = appUserIdOf(installation)
  if (Option.isNone(appUserId)) return ignore(`${eventName}: ${NO_APP_USER}`)
  const authorId = Option.orElse(present(event.data.userId), () => present(event.actor?.id))
  if (Option.contains(authorId, appUserId.value)) {
    return ignore(`${eventName} ${event.data.id} was written by this app's own Linear user`)
  }
  const issue = commentIssue(event)
  if (Option.isNone(issue)) return ignore(`${eventName} ${event.data.id} is not on an issue`)
  const body = event.data.body ?? ""
  const mentioned = mentionsAppUser(installation, event.data)
  const trigger: Trigger = mentioned ? "mention" : "comment"
  if (!mentioned && publication.granularity !== "issue") {
    return ignore(`${eventName} on ${issueName(issue.value)} does not mention this app user (${mentionHint(installation)})`)
  }
  const routed = route({ publication, trigger, eventName, organizationId: event.organizationId, issue: issue.value })
  if (routed._tag === "Skip") {
    return mentioned
      ? routed.decision
      : ignore(`${eventName} on ${issueName(issue.value)} does not mention this app user (${mentionHint(installation)})`)
  }
  if (body.trim().length === 0) return ignore(`${eventName} ${event.data.id} has no text`)
  return dispatchTo({
    sessionKey: routed.sessionKey,
    prompt: body,
    // A mention asks for the agent; any other comment only matters to a session already running.
    mode: mentioned ? "start" : "resumeOnly",
    context: { ...routed.context, agentSessionId: null, commentId: event.data.id, parentCommentId: event.data.parentId ?? null },
    actor: actorOf(authorId, event.data.user?.name ?? event.actor?.name)
  })
}

const mentionHint = (installation: Installation): string => {
  const handles = handlesOf(installation)
  return handles.length === 0 ? "no handle recorded" : handles.map((handle) => `@${handle}`).join(" or ")
}
