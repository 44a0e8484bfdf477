/**
 * Maps a decoded GitHub event to a dispatch decision for one publication: which session it
 * starts, resumes or stops, with which prompt, or why it is ignored. Pure, so a stored event
 * decides the same way after a restart or a replay.
 *
 * Item changes (`issues`, `pull_request`): opened with an @mention of the bot, the bot
 * assigned, a review requested from it, or a trigger label added start (or resume) the item's
 * session; the item closed or the bot unassigned stop a live one. Comments and reviews:
 * `GitHubCommentDispatch.ts`. The bot's own events are ignored, so the agent never answers
 * itself. Every ignore says why.
 */
import { Option } from "effect"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Publication } from "../../kernel/domain/Publication.ts"
import type { DispatchDecision } from "../../kernel/provider/Webhook.ts"
import { dispatchTo, ignore } from "../../kernel/provider/Webhook.ts"
import { decideComment, decideReview, decideReviewComment, issueItem, pullRequestItem } from "./GitHubCommentDispatch.ts"
import type { GitHubEvent } from "./GitHubEvents.ts"
import type { Label, User } from "./GitHubPayloads.ts"
import {
  actorOf,
  type Bot,
  botOf,
  isBot,
  type Item,
  itemName,
  itemNoun,
  mentions,
  type RouteReason,
  route,
  triggerLabelsOf
} from "./GitHubRouting.ts"

export const NO_BOT = "the installation does not record its GitHub App; reinstall it"

/** What an `issues` or `pull_request` event says beyond the item. */
interface Change {
  readonly eventName: string
  readonly action: string
  readonly item: Item
  readonly sender: User | null | undefined
  readonly assignee: User | null | undefined
  readonly label: typeof Label.Type | null | undefined
  readonly requestedReviewer: User | null | undefined
  readonly requestedTeam: string | null | undefined
}

const withBody = (head: string, body: string) => body.trim().length === 0 ? head : `${head}\n\n${body}`

const who = (user: User | null | undefined) => user?.login ?? "Someone"

const decideChange = (
  change: Change,
  bot: Bot,
  installation: Installation,
  publication: Publication,
  triggerLabel: string
): DispatchDecision => {
  const { action, eventName, item } = change
  const name = `${itemNoun(item)} ${itemName(item)}`
  const dispatch = (trigger: RouteReason, mode: "start" | "stop", prompt: string, extra: Record<string, string> = {}) => {
    const routed = route({ publication, installation, trigger, eventName, item })
    if (routed._tag === "Skip") return routed.decision
    return dispatchTo({
      sessionKey: routed.sessionKey,
      prompt,
      mode,
      context: { ...routed.context, ...extra },
      actor: actorOf(change.sender)
    })
  }
  const opening = withBody(`${name}: ${item.title}`, item.body)
  switch (action) {
    case "opened":
      return mentions(bot, item.body)
        ? dispatch("mention", "start", `${who(change.sender)} mentioned you in ${opening}`)
        : ignore(`${eventName} on ${itemName(item)} does not mention @${bot.slug}`)
    case "assigned":
      return isBot(bot, change.assignee)
        ? dispatch("assignment", "start", `${who(change.sender)} assigned you ${opening}`)
        : ignore(`${eventName} on ${itemName(item)} assigns ${who(change.assignee)}, not ${bot.login}`)
    case "unassigned":
      return isBot(bot, change.assignee)
        ? dispatch("stop", "stop", `${who(change.sender)} unassigned you from ${name}; stop working on it`)
        : ignore(`${eventName} on ${itemName(item)} unassigns ${who(change.assignee)}, not ${bot.login}`)
    case "labeled": {
      const label = change.label?.name ?? ""
      const wanted = triggerLabelsOf(publication, triggerLabel)
      return wanted.some((entry) => entry.toLowerCase() === label.toLowerCase())
        ? dispatch("label", "start", `${who(change.sender)} labelled ${opening}\n\n(label: ${label})`, { label })
        : ignore(`${eventName} on ${itemName(item)} adds "${label}", not a trigger label (${wanted.join(", ")})`)
    }
    case "review_requested":
      if (isBot(bot, change.requestedReviewer)) {
        return dispatch("review_request", "start", `${who(change.sender)} requested your review of ${opening}`)
      }
      return ignore(`${eventName} on ${itemName(item)} asks ${
        change.requestedTeam ? `the team ${change.requestedTeam}` : who(change.requestedReviewer)
      } for a review, not ${bot.login}`)
    case "closed":
      return dispatch("stop", "stop", `${who(change.sender)} closed ${name}; stop working on it`)
    default:
      return ignore(`${eventName} is not a trigger`)
  }
}

/** The events that need the bot's identity, after its own events are set aside. */
const decideWithBot = (
  event: GitHubEvent,
  bot: Bot,
  installation: Installation,
  publication: Publication,
  triggerLabel: string
): DispatchDecision => {
  switch (event._tag) {
    case "Issues": {
      const { event: payload } = event
      return decideChange({
        eventName: `issues.${payload.action}`,
        action: payload.action,
        item: issueItem(payload.issue, payload.repository),
        sender: payload.sender,
        assignee: payload.assignee,
        label: payload.label,
        requestedReviewer: undefined,
        requestedTeam: undefined
      }, bot, installation, publication, triggerLabel)
    }
    case "PullRequest": {
      const { event: payload } = event
      return decideChange({
        eventName: `pull_request.${payload.action}`,
        action: payload.action,
        item: pullRequestItem(payload.pull_request, payload.repository),
        sender: payload.sender,
        assignee: payload.assignee,
        label: payload.label,
        requestedReviewer: payload.requested_reviewer,
        requestedTeam: payload.requested_team?.name
      }, bot, installation, publication, triggerLabel)
    }
    case "IssueComment":
      return decideComment(event.event, bot, installation, publication)
    case "Review":
      return decideReview(event.event, bot, installation, publication)
    case "ReviewComment":
      return decideReviewComment(event.event, bot, installation, publication)
    default:
      return ignore(`GitHub event ${event._tag} is not a trigger`)
  }
}

const senderOf = (event: GitHubEvent): User | null | undefined => {
  switch (event._tag) {
    case "Issues":
    case "PullRequest":
    case "IssueComment":
    case "Review":
    case "ReviewComment":
      return event.event.sender
    default:
      return undefined
  }
}

export const decide = (
  event: GitHubEvent,
  installation: Installation,
  publication: Publication,
  triggerLabel: string
): DispatchDecision => {
  switch (event._tag) {
    case "Installation":
      return ignore(installationReason(event.event.action, String(event.event.installation.id)))
    case "AppAuthorization":
      return ignore(
        `github_app_authorization.${event.action}: a user revoked their authorization of the app; Switchboard keeps no ` +
          "user tokens, so the installation is unaffected"
      )
    case "Ping":
      return ignore("ping: GitHub checking the webhook; nothing to do")
    case "Unhandled":
      return ignore(`GitHub event "${event.eventType}" is not handled by this provider`)
    default: {
      const bot = botOf(installation)
      if (Option.isNone(bot)) return ignore(NO_BOT)
      if (isBot(bot.value, senderOf(event))) return ignore(`the event was caused by this app's own bot (${bot.value.login})`)
      return decideWithBot(event, bot.value, installation, publication, triggerLabel)
    }
  }
}

const installationReason = (action: string, id: string): string => {
  switch (action) {
    case "deleted":
      return `installation.deleted: the app was uninstalled from GitHub (installation ${id}); the installation is revoked`
    case "suspend":
      return `installation.suspend: the installation ${id} was suspended on GitHub; it is revoked until reinstalled`
    case "unsuspend":
      return `installation.unsuspend: installation ${id} is no longer suspended; open the install link to reconnect it`
    case "created":
      return `installation.created: installation ${id} is connected through the install link, not by this event`
    default:
      return `installation.${action} needs nothing from Switchboard`
  }
}
