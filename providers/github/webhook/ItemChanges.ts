/**
 * Item changes (`issues`, `pull_request`): opened with an @mention of the bot, the bot assigned,
 * a review requested from it, or a trigger label added start (or resume) the item's session; the
 * item closed or the bot unassigned stop a live one. Every ignore says why.
 */
import type { DecideContext } from "../../../kernel/provider/Events.ts"
import * as Routing from "../../../kernel/provider/Routing.ts"
import { type DispatchDecision, ignore } from "../../../kernel/provider/Webhook.ts"
import { triggerLabelsOf } from "../publication/Filters.ts"
import { actorOf, type Bot, bySomeoneElse, isBot, mentions } from "./Bot.ts"
import { issueItem, type Item, itemName, itemNoun, pullRequestItem, type RouteReason, routeItem } from "./Items.ts"
import type { IssuesEvent, Label, PullRequestEvent, User } from "./Payloads.ts"

/** What an `issues` or `pull_request` event says beyond the item. */
interface Change {
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

const decideChange = (change: Change, bot: Bot, context: DecideContext, triggerLabel: string): DispatchDecision => {
  const { action, item } = change
  const subject = `${context.eventType} on ${itemName(item)}`
  const name = `${itemNoun(item)} ${itemName(item)}`
  const intent = (prompt: string, extra: Record<string, string> = {}) => ({ prompt, actor: actorOf(change.sender), context: extra })
  const start = (trigger: RouteReason, prompt: string, extra?: Record<string, string>) =>
    Routing.start(routeItem(context, trigger, item), intent(prompt, extra))
  // GitHub has always stopped the live session on a stop, whatever the publication's granularity.
  const stop = (prompt: string) =>
    Routing.stopOrResume(routeItem(context, "stop", item), intent(prompt), context.publication, context.publication.granularity)
  const opening = withBody(`${name}: ${item.title}`, item.body)
  switch (action) {
    case "opened":
      return mentions(bot, item.body)
        ? start("mention", `${who(change.sender)} mentioned you in ${opening}`)
        : ignore(`${subject} does not mention @${bot.slug}`)
    case "assigned":
      return isBot(bot, change.assignee)
        ? start("assignment", `${who(change.sender)} assigned you ${opening}`)
        : ignore(`${subject} assigns ${who(change.assignee)}, not ${bot.login}`)
    case "unassigned":
      return isBot(bot, change.assignee)
        ? stop(`${who(change.sender)} unassigned you from ${name}; stop working on it`)
        : ignore(`${subject} unassigns ${who(change.assignee)}, not ${bot.login}`)
    case "labeled": {
      const label = change.label?.name ?? ""
      const wanted = triggerLabelsOf(context.publication, triggerLabel)
      return Routing.matchesAny(wanted, label)
        ? start("label", `${who(change.sender)} labelled ${opening}\n\n(label: ${label})`, { label })
        : ignore(`${subject} adds "${label}", not a trigger label (${wanted.join(", ")})`)
    }
    case "review_requested":
      if (isBot(bot, change.requestedReviewer)) {
        return start("review_request", `${who(change.sender)} requested your review of ${opening}`)
      }
      return ignore(`${subject} asks ${
        change.requestedTeam ? `the team ${change.requestedTeam}` : who(change.requestedReviewer)
      } for a review, not ${bot.login}`)
    case "closed":
      return stop(`${who(change.sender)} closed ${name}; stop working on it`)
    default:
      return ignore(`${context.eventType} is not a trigger`)
  }
}

export const decideIssues = (triggerLabel: string) =>
  bySomeoneElse<IssuesEvent>((event, bot, context) =>
    decideChange({
      action: event.action,
      item: issueItem(event.issue, event.repository),
      sender: event.sender,
      assignee: event.assignee,
      label: event.label,
      requestedReviewer: undefined,
      requestedTeam: undefined
    }, bot, context, triggerLabel)
  )

export const decidePullRequest = (triggerLabel: string) =>
  bySomeoneElse<PullRequestEvent>((event, bot, context) =>
    decideChange({
      action: event.action,
      item: pullRequestItem(event.pull_request, event.repository),
      sender: event.sender,
      assignee: event.assignee,
      label: event.label,
      requestedReviewer: event.requested_reviewer,
      requestedTeam: event.requested_team?.name
    }, bot, context, triggerLabel)
  )
