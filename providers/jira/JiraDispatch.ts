/**
 * Maps a decoded Jira event to a dispatch decision for one publication: which session it starts,
 * continues or stops, with which prompt, or why it is ignored. Pure, so a stored event decides
 * the same way after a restart or a replay.
 *
 * - An issue created or updated so that the agent's account becomes its assignee starts (or
 *   resumes) the issue's session; taken away from it, a live session is stopped. The changelog's
 *   `assignee` item (`from`/`to` account ids) tells an assignment from any other edit.
 * - A comment that mentions the agent's account (`[~accountid:<id>]` in wiki markup, or an ADF
 *   mention node) starts or resumes the issue's session with the comment as the prompt; any
 *   other comment on the issue resumes a live issue session, and is ignored otherwise.
 *
 * What the agent's own account did is ignored, so it never answers itself. Every ignore says why.
 */
import { Option } from "effect"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Publication } from "../../kernel/domain/Publication.ts"
import type { DispatchDecision } from "../../kernel/provider/Webhook.ts"
import { dispatchTo, ignore } from "../../kernel/provider/Webhook.ts"
import { mentionedAccountIds, toText } from "./JiraAdf.ts"
import type { CommentCreated, IssueChanged, JiraEvent, User } from "./JiraEvents.ts"
import { route, stopMode } from "./JiraRouting.ts"
import { agentAccountOf, META, metadataOf } from "./JiraSite.ts"

export { PROJECT_FILTER } from "./JiraRouting.ts"

const NO_AGENT = "the installation does not record the agent's Jira account; reinstall it"

const actorOf = (user: User | null | undefined) =>
  user?.accountId === undefined || user.accountId === null ? null : { id: user.accountId, name: user.displayName ?? null }

/** Mentions of the agent read as `@Name` in a prompt, not as markup. */
const readable = (text: string, installation: Installation): string => {
  const name = Option.getOrElse(metadataOf(installation, META.accountName), () => "agent")
  return Option.match(agentAccountOf(installation), {
    onNone: () => text,
    onSome: (id) => text.split(`[~accountid:${id}]`).join(`@${name}`)
  })
}

const decideIssue = (event: IssueChanged, installation: Installation, publication: Publication, site: string): DispatchDecision => {
  const { issue } = event
  const name = `${event.webhookEvent} on ${issue.key}`
  const agent = agentAccountOf(installation)
  if (Option.isNone(agent)) return ignore(`${name}: ${NO_AGENT}`)
  if (event.user?.accountId === agent.value) return ignore(`${name} was made by the agent's own Jira account`)
  const created = event.webhookEvent === "jira:issue_created"
  const change = event.changelog?.items.find((item) => item.field === "assignee" || item.fieldId === "assignee")
  if (!created && change === undefined) return ignore(`${name} does not change its assignee`)
  const assignedNow = created ? issue.fields?.assignee?.accountId === agent.value : change?.to === agent.value
  const assignedBefore = !created && change?.from === agent.value
  if (assignedNow === assignedBefore) return ignore(`${name} does not assign it to or take it from the agent's account`)
  const routed = route({ publication, trigger: "assignment", site, issue })
  if (routed._tag === "Skip") return routed.decision
  const who = event.user?.displayName ?? "Someone"
  const actor = actorOf(event.user)
  const context = { ...routed.context, commentId: null }
  if (!assignedNow) {
    return dispatchTo({
      sessionKey: routed.sessionKey,
      prompt: `${who} unassigned you from ${issue.key}; stop working on it`,
      mode: stopMode(publication),
      context: { ...context, stopRequested: true },
      actor
    })
  }
  const description = readable(toText(issue.fields?.description), installation)
  const prompt = [`${who} assigned you the Jira issue ${issue.key}: ${issue.fields?.summary ?? "(no summary)"}`, description]
    .filter((part) => part.trim().length > 0).join("\n\n")
  return dispatchTo({ sessionKey: routed.sessionKey, prompt, mode: "start", context, actor })
}

const decideComment = (event: CommentCreated, installation: Installation, publication: Publication, site: string): DispatchDecision => {
  const { comment, issue } = event
  const name = `comment_created ${comment.id} on ${issue.key}`
  const agent = agentAccountOf(installation)
  if (Option.isNone(agent)) return ignore(`${name}: ${NO_AGENT}`)
  if (comment.author?.accountId === agent.value) return ignore(`${name} was written by the agent's own Jira account`)
  const mentioned = mentionedAccountIds(comment.body).includes(agent.value)
  if (!mentioned && publication.granularity !== "issue") return ignore(`${name} does not mention the agent's account`)
  const routed = route({ publication, trigger: mentioned ? "mention" : "comment", site, issue })
  if (routed._tag === "Skip") return routed.decision
  const text = readable(toText(comment.body), installation)
  if (text.trim().length === 0) return ignore(`${name} has no text`)
  return dispatchTo({
    sessionKey: routed.sessionKey,
    prompt: text,
    // A mention asks for the agent; any other comment only matters to a session already running.
    mode: mentioned ? "start" : "resumeOnly",
    context: { ...routed.context, commentId: comment.id },
    actor: actorOf(comment.author)
  })
}

export const decide = (event: JiraEvent, site: string, installation: Installation, publication: Publication): DispatchDecision => {
  switch (event._tag) {
    case "IssueChanged":
      return decideIssue(event.event, installation, publication, site)
    case "CommentCreated":
      return decideComment(event.event, installation, publication, site)
    case "Unhandled":
      return ignore(`Jira event "${event.eventType}" is not handled by this provider`)
  }
}
