/**
 * Comments and reviews: a new issue or pull request comment, a submitted review, or a review
 * comment on a diff line that @mentions the bot starts (or resumes) the item's session; any
 * other one resumes the item's session only if one is live (`resumeOnly`), which is how a
 * conversation with the agent continues without mentioning it every time. Edits and deletions
 * are not triggers. Comments the app itself posted (`performed_via_github_app`) are ignored.
 */
import { Option } from "effect"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Publication } from "../../kernel/domain/Publication.ts"
import type { DispatchDecision } from "../../kernel/provider/Webhook.ts"
import { dispatchTo, ignore } from "../../kernel/provider/Webhook.ts"
import type {
  Issue,
  IssueCommentEvent,
  PullRequest,
  PullRequestReviewCommentEvent,
  PullRequestReviewEvent,
  Repository,
  User
} from "./GitHubPayloads.ts"
import { actorOf, type Bot, isBot, type Item, itemName, itemNoun, mentions, route } from "./GitHubRouting.ts"

export const issueItem = (issue: Issue, repository: Repository): Item => ({
  repository,
  number: issue.number,
  // Pull requests are issues too: their conversation comments arrive as `issue_comment`.
  kind: issue.pull_request === undefined || issue.pull_request === null ? "issue" : "pull_request",
  title: issue.title,
  body: issue.body ?? "",
  url: issue.html_url
})

export const pullRequestItem = (pullRequest: PullRequest, repository: Repository): Item => ({
  repository,
  number: pullRequest.number,
  kind: "pull_request",
  title: pullRequest.title,
  body: pullRequest.body ?? "",
  url: pullRequest.html_url
})

interface Remark {
  readonly eventName: string
  readonly item: Item
  readonly author: User | null | undefined
  readonly body: string
  /** "commented on", "approved", "requested changes on" ... */
  readonly verb: string
  readonly context: Record<string, string | number | null>
}

const postedByApp = (bot: Bot, via: { readonly id: number } | null | undefined): boolean =>
  via !== undefined && via !== null && Option.contains(bot.appId, String(via.id))

const decideRemark = (remark: Remark, bot: Bot, installation: Installation, publication: Publication): DispatchDecision => {
  const { eventName, item } = remark
  if (isBot(bot, remark.author)) return ignore(`${eventName} on ${itemName(item)} was written by this app's own bot`)
  const mentioned = mentions(bot, remark.body)
  const routed = route({ publication, installation, trigger: mentioned ? "mention" : "comment", eventName, item })
  if (routed._tag === "Skip") return routed.decision
  const author = remark.author?.login ?? "Someone"
  const where = `${itemNoun(item)} ${itemName(item)} (${item.title})`
  const head = mentioned ? `${author} mentioned you and ${remark.verb} ${where}` : `${author} ${remark.verb} ${where}`
  return dispatchTo({
    sessionKey: routed.sessionKey,
    prompt: remark.body.trim().length === 0 ? head : `${head}:\n\n${remark.body}`,
    mode: mentioned ? "start" : "resumeOnly",
    context: { ...routed.context, ...remark.context },
    actor: actorOf(remark.author)
  })
}

export const decideComment = (
  event: IssueCommentEvent,
  bot: Bot,
  installation: Installation,
  publication: Publication
): DispatchDecision => {
  const eventName = `issue_comment.${event.action}`
  if (event.action !== "created") return ignore(`${eventName} is not a trigger; only new comments are`)
  if (postedByApp(bot, event.comment.performed_via_github_app)) {
    return ignore(`${eventName} on #${event.issue.number} was posted by this app`)
  }
  return decideRemark({
    eventName,
    item: issueItem(event.issue, event.repository),
    author: event.comment.user ?? event.sender,
    body: event.comment.body ?? "",
    verb: "commented on",
    context: { commentId: event.comment.id, commentUrl: event.comment.html_url }
  }, bot, installation, publication)
}

const reviewVerbs: ReadonlyMap<string, string> = new Map([
  ["approved", "approved"],
  ["changes_requested", "requested changes on"],
  ["commented", "reviewed"]
])

export const decideReview = (
  event: PullRequestReviewEvent,
  bot: Bot,
  installation: Installation,
  publication: Publication
): DispatchDecision => {
  const eventName = `pull_request_review.${event.action}`
  if (event.action !== "submitted") return ignore(`${eventName} is not a trigger; only submitted reviews are`)
  const state = event.review.state.toLowerCase()
  return decideRemark({
    eventName,
    item: pullRequestItem(event.pull_request, event.repository),
    author: event.review.user ?? event.sender,
    body: event.review.body ?? "",
    verb: reviewVerbs.get(state) ?? "reviewed",
    context: { reviewId: event.review.id, reviewState: state, reviewUrl: event.review.html_url }
  }, bot, installation, publication)
}

export const decideReviewComment = (
  event: PullRequestReviewCommentEvent,
  bot: Bot,
  installation: Installation,
  publication: Publication
): DispatchDecision => {
  const eventName = `pull_request_review_comment.${event.action}`
  if (event.action !== "created") return ignore(`${eventName} is not a trigger; only new review comments are`)
  if (postedByApp(bot, event.comment.performed_via_github_app)) {
    return ignore(`${eventName} on #${event.pull_request.number} was posted by this app`)
  }
  const { comment } = event
  return decideRemark({
    eventName,
    item: pullRequestItem(event.pull_request, event.repository),
    author: comment.user ?? event.sender,
    body: comment.body ?? "",
    verb: `commented on ${comment.path ?? "the diff"}${comment.line === undefined || comment.line === null ? "" : `:${comment.line}`} in`,
    context: {
      commentId: comment.id,
      commentUrl: comment.html_url,
      path: comment.path ?? null,
      line: comment.line ?? null,
      inReplyTo: comment.in_reply_to_id ?? null
    }
  }, bot, installation, publication)
}
