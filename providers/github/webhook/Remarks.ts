/**
 * Comments and reviews: a new issue or pull request comment, a submitted review, or a review
 * comment on a diff line that @mentions the bot starts (or resumes) the item's session; any
 * other one resumes the item's session only if one is live (`resumeOnly`), which is how a
 * conversation with the agent continues without mentioning it every time. Edits and deletions
 * are not triggers. Comments the app itself posted (`performed_via_github_app`) are ignored.
 */
import type { DecideContext } from "../../../kernel/provider/Events.ts"
import * as Routing from "../../../kernel/provider/Routing.ts"
import { type DispatchDecision, ignore } from "../../../kernel/provider/Webhook.ts"
import { actorOf, type Bot, bySomeoneElse, isBot, mentions, postedByApp } from "./Bot.ts"
import { type Item, itemName, itemNoun, pullRequestItem, issueItem, routeItem } from "./Items.ts"
import type { IssueCommentEvent, PullRequestReviewCommentEvent, PullRequestReviewEvent, User } from "./Payloads.ts"

interface Remark {
  readonly item: Item
  readonly author: User | null | undefined
  readonly body: string
  /** "commented on", "approved", "requested changes on" ... */
  readonly verb: string
  readonly context: Record<string, string | number | null>
}

const decideRemark = (remark: Remark, bot: Bot, context: DecideContext): DispatchDecision => {
  const { item } = remark
  if (isBot(bot, remark.author)) return ignore(`${context.eventType} on ${itemName(item)} was written by this app's own bot`)
  const mentioned = mentions(bot, remark.body)
  const routed = routeItem(context, mentioned ? "mention" : "comment", item)
  const author = remark.author?.login ?? "Someone"
  const where = `${itemNoun(item)} ${itemName(item)} (${item.title})`
  const head = mentioned ? `${author} mentioned you and ${remark.verb} ${where}` : `${author} ${remark.verb} ${where}`
  const intent = {
    prompt: remark.body.trim().length === 0 ? head : `${head}:\n\n${remark.body}`,
    actor: actorOf(remark.author),
    context: remark.context
  }
  return mentioned ? Routing.start(routed, intent) : Routing.resumeOnly(routed, intent)
}

export const decideComment = bySomeoneElse<IssueCommentEvent>((event, bot, context) => {
  const eventName = context.eventType
  if (event.action !== "created") return ignore(`${eventName} is not a trigger; only new comments are`)
  if (postedByApp(bot, event.comment.performed_via_github_app)) {
    return ignore(`${eventName} on #${event.issue.number} was posted by this app`)
  }
  return decideRemark({
    item: issueItem(event.issue, event.repository),
    author: event.comment.user ?? event.sender,
    body: event.comment.body ?? "",
    verb: "commented on",
    context: { commentId: event.comment.id, commentUrl: event.comment.html_url }
  }, bot, context)
})

const reviewVerbs: ReadonlyMap<string, string> = new Map([
  ["approved", "approved"],
  ["changes_requested", "requested changes on"],
  ["commented", "reviewed"]
])

export const decideReview = bySomeoneElse<PullRequestReviewEvent>((event, bot, context) => {
  if (event.action !== "submitted") return ignore(`${context.eventType} is not a trigger; only submitted reviews are`)
  const state = event.review.state.toLowerCase()
  return decideRemark({
    item: pullRequestItem(event.pull_request, event.repository),
    author: event.review.user ?? event.sender,
    body: event.review.body ?? "",
    verb: reviewVerbs.get(state) ?? "reviewed",
    context: { reviewId: event.review.id, reviewState: state, reviewUrl: event.review.html_url }
  }, bot, context)
})

export const decideReviewComment = bySomeoneElse<PullRequestReviewCommentEvent>((event, bot, context) => {
  const eventName = context.eventType
  if (event.action !== "created") return ignore(`${eventName} is not a trigger; only new review comments are`)
  // Review comments carry no `performed_via_github_app`: the app's own are those its bot user wrote.
  if (isBot(bot, event.comment.user)) {
    return ignore(`${eventName} on #${event.pull_request.number} was posted by this app`)
  }
  const { comment } = event
  const line = comment.line === undefined || comment.line === null ? "" : `:${comment.line}`
  return decideRemark({
    item: pullRequestItem(event.pull_request, event.repository),
    author: comment.user ?? event.sender,
    body: comment.body ?? "",
    verb: `commented on ${comment.path ?? "the diff"}${line} in`,
    context: {
      commentId: comment.id,
      commentUrl: comment.html_url,
      path: comment.path ?? null,
      line: comment.line ?? null,
      inReplyTo: comment.in_reply_to_id ?? null
    }
  }, bot, context)
})
