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
import type { DecideContext } from "../../../kernel/provider/Events.ts"
import { isSelf, resumeOnly, start, stopOrResume } from "../../../kernel/provider/Routing.ts"
import { type DispatchDecision, ignore } from "../../../kernel/provider/Webhook.ts"
import { type IssueRef, issueName, routeIssue } from "../publication/Routing.ts"
import { appUserIdOf, mentionHint, mentionsAppUser, present } from "./AppUser.ts"
import type { CommentCreated, IssueChanged } from "./DataEvents.ts"

const NO_APP_USER = "the installation does not record its Linear app user; reinstall it to use assignments and mentions"

const actorOf = (id: Option.Option<string>, name: string | null | undefined) =>
  Option.match(id, { onNone: () => null, onSome: (actorId) => ({ id: actorId, name: name ?? null }) })

export const decideIssue = (event: IssueChanged, { installation, publication }: DecideContext): DispatchDecision => {
  const eventName = `Issue.${event.action}`
  const appUserId = appUserIdOf(installation)
  if (Option.isNone(appUserId)) return ignore(`${eventName}: ${NO_APP_USER}`)
  const subject = `${eventName} on ${issueName(event.data)}`
  if (isSelf(event.actor?.id, [appUserId.value])) return ignore(`${subject} was made by this app's own Linear user`)
  const changed = event.action === "create" || Object.hasOwn(event.updatedFrom ?? {}, "assigneeId")
  if (!changed) return ignore(`${subject} does not change its assignee`)
  const assignedNow = event.data.assigneeId === appUserId.value
  const assignedBefore = event.action === "update" && event.updatedFrom?.["assigneeId"] === appUserId.value
  if (assignedNow === assignedBefore) return ignore(`${subject} does not assign it to or take it from this app user`)
  const { organizationId } = event
  const routed = routeIssue({ publication, trigger: "assignment", eventName, organizationId, issue: event.data })
  const by = event.actor?.name ?? "Someone"
  const actor = actorOf(present(event.actor?.id), event.actor?.name)
  const context = { agentSessionId: null, commentId: null }
  if (!assignedNow) {
    const prompt = `${by} unassigned you from ${issueName(event.data)}; stop working on it`
    return stopOrResume(routed, { prompt, actor, context: { ...context, stopRequested: true } }, publication)
  }
  const { data } = event
  const prompt = [`${by} assigned you the Linear issue ${issueName(data)}: ${data.title ?? "(untitled)"}`, data.description ?? ""]
    .filter((part) => part.length > 0).join("\n\n")
  return start(routed, { prompt, actor, context })
}

const commentIssue = (event: CommentCreated): Option.Option<IssueRef> =>
  Option.firstSomeOf([
    Option.fromNullishOr(event.data.issue),
    present(event.data.issueId).pipe(Option.map((id): IssueRef => ({ id })))
  ])

export const decideComment = (event: CommentCreated, { installation, publication }: DecideContext): DispatchDecision => {
  const eventName = "Comment.create"
  const appUserId = appUserIdOf(installation)
  if (Option.isNone(appUserId)) return ignore(`${eventName}: ${NO_APP_USER}`)
  const { data } = event
  const authorId = Option.orElse(present(data.userId), () => present(event.actor?.id))
  if (Option.contains(authorId, appUserId.value)) return ignore(`${eventName} ${data.id} was written by this app's own Linear user`)
  const issue = commentIssue(event)
  if (Option.isNone(issue)) return ignore(`${eventName} ${data.id} is not on an issue`)
  const mentioned = mentionsAppUser(installation, data)
  const notMentioned = () =>
    ignore(`${eventName} on ${issueName(issue.value)} does not mention this app user (${mentionHint(installation)})`)
  // Any other comment only matters to a session already running on that issue; its trigger,
  // `comment`, is opt-in, so routing leaves it out unless the trigger filter names it.
  if (!mentioned && publication.granularity !== "issue") return notMentioned()
  const trigger = mentioned ? "mention" : "comment"
  const routed = routeIssue({ publication, trigger, eventName, organizationId: event.organizationId, issue: issue.value })
  if (routed._tag === "Skip") return mentioned ? routed.decision : notMentioned()
  const prompt = data.body ?? ""
  if (prompt.trim().length === 0) return ignore(`${eventName} ${data.id} has no text`)
  const actor = actorOf(authorId, data.user?.name ?? event.actor?.name)
  const context = { agentSessionId: null, commentId: data.id, parentCommentId: data.parentId ?? null }
  return mentioned ? start(routed, { prompt, actor, context }) : resumeOnly(routed, { prompt, actor, context })
}
