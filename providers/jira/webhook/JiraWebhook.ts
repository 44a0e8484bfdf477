/**
 * Jira admin webhooks registered with a secret, and what each event means for one publication.
 *
 * `X-Hub-Signature: sha256=<hex>` signs the body, under any secret of a rotation. The body's
 * `timestamp` bounds replays to an hour: the delivery id (`X-Atlassian-Webhook-Identifier`) is a
 * header outside the signature, so without a window a captured body could be replayed under fresh
 * ids; an hour leaves room for Jira's retries (its documented delays reach about half an hour).
 *
 * Assigning an issue to the agent's account starts its session, taking it away stops it; a comment
 * mentioning the agent starts or resumes it, any other comment only resumes a live one.
 */
import { Option } from "effect"
import type { Installation } from "../../../kernel/domain/Installation.ts"
import { type DecideContext, on } from "../../../kernel/provider/Events.ts"
import { isSelf, resumeOnly, route, start, stopOrResume } from "../../../kernel/provider/Routing.ts"
import { hmacSha256 } from "../../../kernel/provider/Signature.ts"
import { defineWebhook, header, ignore } from "../../../kernel/provider/Webhook.ts"
import { mentionedAccountIds, toText } from "../client/JiraAdf.ts"
import { agentAccountOf, hostOf, META, metadataOf } from "../client/JiraSite.ts"
import type { JiraSettings } from "../JiraSettings.ts"
import { projectFilter, projectKeyOf, sessionKeys } from "../publication/JiraPublication.ts"
import { CommentCreated, Envelope, type Issue, IssueChanged, type User } from "./Payloads.ts"

const NO_AGENT = "the installation does not record the agent's Jira account; reinstall it"

const actorOf = (user: typeof User.Type | null | undefined) =>
  user?.accountId === undefined || user.accountId === null ? null : { id: user.accountId, name: user.displayName ?? null }

/** Mentions of the agent read as `@Name` in a prompt, not as markup. */
const readable = (text: string, installation: Installation): string => {
  const name = Option.getOrElse(metadataOf(installation, META.accountName), () => "agent")
  return Option.match(agentAccountOf(installation), { onNone: () => text, onSome: (id) => text.split(`[~accountid:${id}]`).join(`@${name}`) })
}

const routeOn = (issue: Issue, context: DecideContext, trigger: string) => {
  const site = Option.getOrElse(context.account, () => context.installation.externalAccountId)
  const browse = issue.self !== undefined && issue.self !== null && URL.canParse(issue.self) ? new URL(issue.self).origin : undefined
  return route({
    provider: "Jira",
    publication: context.publication,
    subject: `${context.eventType} on ${issue.key}`,
    trigger,
    filters: [projectFilter(issue)],
    sessionKeys: sessionKeys(site, issue),
    context: {
      site,
      issueId: issue.id,
      issueKey: issue.key,
      issueTitle: issue.fields?.summary ?? null,
      issueUrl: browse === undefined ? null : `${browse}/browse/${encodeURIComponent(issue.key)}`,
      projectKey: projectKeyOf(issue),
      projectId: issue.fields?.project?.id ?? null,
      status: issue.fields?.status?.name ?? null
    }
  })
}

const onIssue = (created: boolean) =>
  on(IssueChanged, ({ changelog, issue, user }, context) => {
    const name = `${context.eventType} on ${issue.key}`
    const agent = agentAccountOf(context.installation)
    if (Option.isNone(agent)) return ignore(`${name}: ${NO_AGENT}`)
    if (isSelf(user?.accountId, [agent.value])) return ignore(`${name} was made by the agent's own Jira account`)
    const change = changelog?.items.find((item) => item.field === "assignee" || item.fieldId === "assignee")
    if (!created && change === undefined) return ignore(`${name} does not change its assignee`)
    const assignedNow = created ? issue.fields?.assignee?.accountId === agent.value : change?.to === agent.value
    if (assignedNow === (!created && change?.from === agent.value)) return ignore(`${name} does not assign it to or take it from the agent's account`)
    const routed = routeOn(issue, context, "assignment")
    const who = user?.displayName ?? "Someone"
    if (!assignedNow) {
      const stop = { prompt: `${who} unassigned you from ${issue.key}; stop working on it`, context: { commentId: null, stopRequested: true } }
      return stopOrResume(routed, { ...stop, actor: actorOf(user) }, context.publication)
    }
    const description = readable(toText(issue.fields?.description), context.installation)
    const prompt = [`${who} assigned you the Jira issue ${issue.key}: ${issue.fields?.summary ?? "(no summary)"}`, description]
      .filter((part) => part.trim().length > 0).join("\n\n")
    return start(routed, { prompt, actor: actorOf(user), context: { commentId: null } })
  })

const onComment = on(CommentCreated, ({ comment, issue }, context) => {
  const name = `comment_created ${comment.id} on ${issue.key}`
  const agent = agentAccountOf(context.installation)
  if (Option.isNone(agent)) return ignore(`${name}: ${NO_AGENT}`)
  if (isSelf(comment.author?.accountId, [agent.value])) return ignore(`${name} was written by the agent's own Jira account`)
  const mentioned = mentionedAccountIds(comment.body).includes(agent.value)
  if (!mentioned && context.publication.granularity !== "issue") return ignore(`${name} does not mention the agent's account`)
  const routed = routeOn(issue, context, mentioned ? "mention" : "comment")
  if (routed._tag === "Skip") return routed.decision
  const prompt = readable(toText(comment.body), context.installation)
  if (prompt.trim().length === 0) return ignore(`${name} has no text`)
  const intent = { prompt, actor: actorOf(comment.author), context: { commentId: comment.id } }
  // A mention asks for the agent; any other comment only matters to a session already running.
  return mentioned ? start(routed, intent) : resumeOnly(routed, intent)
})

export const make = (settings: JiraSettings) =>
  defineWebhook({
    signature: hmacSha256({
      header: "x-hub-signature",
      label: "X-Hub-Signature",
      prefix: "sha256=",
      secrets: () => settings.webhookSecrets,
      notConfigured: "Jira webhooks are not configured: set JIRA_WEBHOOK_SECRET",
      timestamp: { from: { field: "timestamp" }, unit: "milliseconds", maxAgeMs: 60 * 60_000, maxFutureMs: 5 * 60_000 }
    }),
    envelope: {
      schema: Envelope,
      deliveryId: (_, source) => header(source, "x-atlassian-webhook-identifier"),
      eventType: (envelope) => envelope.webhookEvent,
      account: ({ comment, issue, user }) => Option.getOrUndefined(Option.firstSomeOf([issue, comment, user].map((linked) => hostOf(linked?.self))))
    },
    events: { "jira:issue_created": onIssue(true), "jira:issue_updated": onIssue(false), "comment_created": onComment }
  })
