/**
 * The issue or pull request an event is about, and how it is routed through the kernel: the
 * publication's trigger filter, its `repo` filter, and the session key its granularity gives.
 * Issue granularity keys a session by item, `github:<owner>/<repo>#<number>` (lowercased: GitHub
 * names are case-insensitive), so a mention, an assignment and later comments on one issue or
 * pull request share one session; workspace granularity keys it by installation,
 * `github:installation:<id>`.
 */
import type { DecideContext } from "../../../kernel/provider/Events.ts"
import { route, type Routed } from "../../../kernel/provider/Routing.ts"
import { repoFilter, type Trigger } from "../publication/Filters.ts"
import type { Issue, PullRequest, Repository } from "./Payloads.ts"

/** An issue or a pull request, as the payloads of all five item events name it. */
export interface Item {
  readonly repository: Repository
  readonly number: number
  readonly kind: "issue" | "pull_request"
  readonly title: string
  readonly body: string
  readonly url: string
}

export const itemName = (item: Item): string => `${item.repository.full_name}#${item.number}`

export const itemNoun = (item: Item): string => item.kind === "issue" ? "issue" : "pull request"

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

/** A stop (item closed, bot unassigned) is not a trigger: it ends whatever session is live. */
export type RouteReason = Trigger | "stop"

/** The session key and the item's context for this publication, or why it does not get the event. */
export const routeItem = (context: DecideContext, trigger: RouteReason, item: Item): Routed => {
  const name = itemName(item)
  const { installation, publication } = context
  return route({
    provider: "GitHub",
    publication,
    subject: `${context.eventType} on ${name}`,
    trigger,
    filters: [repoFilter(item.repository.full_name, name)],
    sessionKeys: { issue: `github:${name.toLowerCase()}`, workspace: `github:installation:${installation.externalAccountId}` },
    context: {
      repo: item.repository.full_name,
      owner: item.repository.owner.login,
      name: item.repository.name,
      number: item.number,
      kind: item.kind,
      title: item.title,
      url: item.url,
      installationId: installation.externalAccountId
    }
  })
}
