/**
 * Webhook payloads in GitHub's documented shapes, built from the fake's own state so the
 * issue, pull request or comment a delivery names also exists for the tools to read. Each
 * carries what GitHub sends to an App (`installation`, `repository`, `sender`, `organization`
 * for organization repositories) with the fields Switchboard does not model left in.
 */
import type { FakeApp, FakeGitHubState, FakeInstallation, FakeIssue, FakeRepo } from "./FakeGitHubState.ts"
import { iso, nextId, userOf } from "./FakeGitHubState.ts"
import { installationView, issueView, pullView, repoView, userView, WEB } from "./FakeGitHubViews.ts"

export interface Delivery {
  readonly event: string
  readonly payload: Record<string, unknown>
}

export interface Where {
  readonly state: FakeGitHubState
  readonly repo: FakeRepo
  readonly installationId: number
  /** Who caused it (a login; `<slug>[bot]` for the app's own bot). */
  readonly sender: string
}

const envelope = (where: Where, action: string) => ({
  action,
  repository: repoView(where.repo),
  ...(where.repo.owner.type === "Organization"
    ? { organization: { login: where.repo.owner.login, id: where.repo.owner.id, node_id: `O_${where.repo.owner.id}`, description: null } }
    : {}),
  sender: userView(userOf(where.state, where.sender)),
  installation: { id: where.installationId, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${where.installationId}` }
})

export const issues = (
  where: Where,
  action: string,
  issue: FakeIssue,
  extra: { readonly assignee?: string; readonly label?: string; readonly changes?: Record<string, unknown> } = {}
): Delivery => ({
  event: "issues",
  payload: {
    ...envelope(where, action),
    issue: issueView(where.state, where.repo, issue),
    ...(extra.assignee === undefined ? {} : { assignee: userView(userOf(where.state, extra.assignee)) }),
    ...(extra.label === undefined ? {} : { label: { id: 1, node_id: "LA_1", name: extra.label, color: "0e8a16", default: false } }),
    ...(extra.changes === undefined ? {} : { changes: extra.changes })
  }
})

export const issueComment = (
  where: Where,
  action: string,
  issue: FakeIssue,
  comment: { readonly body: string; readonly author?: string; readonly id?: number; readonly viaAppId?: number }
): Delivery => {
  const author = userOf(where.state, comment.author ?? where.sender)
  const id = comment.id ?? nextId(where.state)
  return {
    event: "issue_comment",
    payload: {
      ...envelope(where, action),
      issue: issueView(where.state, where.repo, issue),
      comment: {
        id,
        node_id: `IC_${id}`,
        url: `https://api.github.com/repos/${where.repo.owner.login}/${where.repo.name}/issues/comments/${id}`,
        html_url: `${WEB}/${where.repo.owner.login}/${where.repo.name}/issues/${issue.number}#issuecomment-${id}`,
        user: userView(author),
        created_at: iso(where.state.now()),
        updated_at: iso(where.state.now()),
        author_association: "MEMBER",
        body: comment.body,
        reactions: { total_count: 0 },
        performed_via_github_app: comment.viaAppId === undefined ? null : { id: comment.viaAppId, slug: null }
      }
    }
  }
}

export const pullRequest = (
  where: Where,
  action: string,
  issue: FakeIssue,
  extra: { readonly assignee?: string; readonly label?: string; readonly requestedReviewer?: string; readonly requestedTeam?: string } = {}
): Delivery => ({
  event: "pull_request",
  payload: {
    ...envelope(where, action),
    number: issue.number,
    pull_request: pullView(where.state, where.repo, issue),
    ...(extra.assignee === undefined ? {} : { assignee: userView(userOf(where.state, extra.assignee)) }),
    ...(extra.label === undefined ? {} : { label: { id: 1, node_id: "LA_1", name: extra.label, color: "0e8a16", default: false } }),
    ...(extra.requestedReviewer === undefined ? {} : { requested_reviewer: userView(userOf(where.state, extra.requestedReviewer)) }),
    ...(extra.requestedTeam === undefined
      ? {}
      : { requested_team: { name: extra.requestedTeam, id: 7, node_id: "T_7", slug: extra.requestedTeam.toLowerCase(), privacy: "closed" } })
  }
})

export const pullRequestReview = (
  where: Where,
  action: string,
  issue: FakeIssue,
  review: { readonly body: string | null; readonly state: string; readonly author?: string }
): Delivery => {
  const id = nextId(where.state)
  return {
    event: "pull_request_review",
    payload: {
      ...envelope(where, action),
      review: {
        id,
        node_id: `PRR_${id}`,
        user: userView(userOf(where.state, review.author ?? where.sender)),
        body: review.body,
        commit_id: "0".repeat(40),
        submitted_at: iso(where.state.now()),
        state: review.state,
        html_url: `${WEB}/${where.repo.owner.login}/${where.repo.name}/pull/${issue.number}#pullrequestreview-${id}`,
        author_association: "MEMBER"
      },
      pull_request: pullView(where.state, where.repo, issue)
    }
  }
}

export const pullRequestReviewComment = (
  where: Where,
  action: string,
  issue: FakeIssue,
  comment: { readonly body: string; readonly path: string; readonly line: number; readonly author?: string; readonly inReplyTo?: number }
): Delivery => {
  const id = nextId(where.state)
  return {
    event: "pull_request_review_comment",
    payload: {
      ...envelope(where, action),
      comment: {
        id,
        node_id: `PRRC_${id}`,
        pull_request_review_id: id - 1,
        diff_hunk: "@@ -1,1 +1,1 @@",
        path: comment.path,
        line: comment.line,
        side: "RIGHT",
        commit_id: "0".repeat(40),
        user: userView(userOf(where.state, comment.author ?? where.sender)),
        body: comment.body,
        html_url: `${WEB}/${where.repo.owner.login}/${where.repo.name}/pull/${issue.number}#discussion_r${id}`,
        created_at: iso(where.state.now()),
        ...(comment.inReplyTo === undefined ? {} : { in_reply_to_id: comment.inReplyTo })
      },
      pull_request: pullView(where.state, where.repo, issue)
    }
  }
}

export const installation = (state: FakeGitHubState, action: string, target: FakeInstallation, sender: string): Delivery => ({
  event: "installation",
  payload: {
    action,
    installation: installationView(state, target),
    repositories: [...state.repos.values()]
      .filter((repo) => repo.owner.login === target.account.login)
      .map((repo) => ({ id: repo.id, node_id: `R_${repo.id}`, name: repo.name, full_name: `${repo.owner.login}/${repo.name}`, private: repo.private })),
    requester: null,
    sender: userView(userOf(state, sender))
  }
})

export const githubAppAuthorization = (state: FakeGitHubState, sender: string): Delivery => ({
  event: "github_app_authorization",
  payload: { action: "revoked", sender: userView(userOf(state, sender)) }
})

export const ping = (app: FakeApp, hookUrl: string): Delivery => ({
  event: "ping",
  payload: {
    zen: "Design for failure.",
    hook_id: 500_000_001,
    hook: {
      type: "App",
      id: 500_000_001,
      name: "web",
      active: true,
      events: [...app.events],
      config: { content_type: "json", insecure_ssl: "0", url: hookUrl },
      app_id: app.id,
      created_at: "2026-01-01T00:00:00Z"
    }
  }
})
