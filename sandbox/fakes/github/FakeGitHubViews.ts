/**
 * The fake's resources rendered in GitHub's REST shapes (the same objects webhook payloads
 * embed), including fields Switchboard does not read (`node_id`, the `*_url` family ...), so the
 * provider is exercised against what GitHub really sends.
 */
import {
  type FakeApp,
  type FakeComment,
  type FakeGitHubState,
  type FakeInstallation,
  type FakeIssue,
  type FakeRepo,
  type FakeReview,
  type FakeUser,
  fullName,
  iso
} from "./FakeGitHubState.ts"

export const WEB = "https://github.com"
export const API = "https://api.github.com"

export const userView = (user: FakeUser) => ({
  login: user.login,
  id: user.id,
  node_id: `U_${user.id}`,
  avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
  url: `${API}/users/${user.login}`,
  html_url: `${WEB}/${user.login}`,
  type: user.type,
  site_admin: false
})

export const repoView = (repo: FakeRepo) => ({
  id: repo.id,
  node_id: `R_${repo.id}`,
  name: repo.name,
  full_name: fullName(repo),
  private: repo.private,
  owner: userView(repo.owner),
  html_url: `${WEB}/${fullName(repo)}`,
  url: `${API}/repos/${fullName(repo)}`,
  default_branch: repo.defaultBranch,
  visibility: repo.private ? "private" : "public",
  topics: []
})

const labelView = (repo: FakeRepo, name: string) => ({
  id: name.length * 1000 + repo.id,
  node_id: `LA_${name}`,
  url: `${API}/repos/${fullName(repo)}/labels/${encodeURIComponent(name)}`,
  name,
  color: "ededed",
  default: false,
  description: null
})

export const labelsView = (repo: FakeRepo, names: ReadonlyArray<string>) => names.map((name) => labelView(repo, name))

const userByLogin = (state: FakeGitHubState, login: string): FakeUser =>
  state.users.get(login.toLowerCase()) ?? { login, id: 0, type: "User" }

export const issueView = (state: FakeGitHubState, repo: FakeRepo, issue: FakeIssue) => ({
  url: `${API}/repos/${fullName(repo)}/issues/${issue.number}`,
  repository_url: `${API}/repos/${fullName(repo)}`,
  html_url: `${WEB}/${fullName(repo)}/${issue.pull === null ? "issues" : "pull"}/${issue.number}`,
  id: repo.id * 100_000 + issue.number,
  node_id: `I_${repo.id}_${issue.number}`,
  number: issue.number,
  title: issue.title,
  user: userView(issue.user),
  labels: labelsView(repo, issue.labels),
  state: issue.state,
  state_reason: issue.stateReason,
  locked: false,
  assignee: issue.assignees[0] === undefined ? null : userView(userByLogin(state, issue.assignees[0])),
  assignees: issue.assignees.map((login) => userView(userByLogin(state, login))),
  comments: issue.comments.length,
  created_at: issue.createdAt,
  updated_at: issue.updatedAt,
  closed_at: issue.closedAt,
  author_association: "OWNER",
  body: issue.body.length === 0 ? null : issue.body,
  reactions: { total_count: 0, "+1": 0, "-1": 0 },
  ...(issue.pull === null
    ? {}
    : { pull_request: { url: `${API}/repos/${fullName(repo)}/pulls/${issue.number}`, html_url: `${WEB}/${fullName(repo)}/pull/${issue.number}` } })
})

export const pullView = (state: FakeGitHubState, repo: FakeRepo, issue: FakeIssue) => {
  const pull = issue.pull
  const branch = (ref: string) => ({
    label: `${repo.owner.login}:${ref}`,
    ref,
    sha: repo.branches.get(ref) ?? "0".repeat(40),
    user: userView(repo.owner),
    repo: repoView(repo)
  })
  return {
    url: `${API}/repos/${fullName(repo)}/pulls/${issue.number}`,
    id: repo.id * 100_000 + issue.number,
    node_id: `PR_${repo.id}_${issue.number}`,
    html_url: `${WEB}/${fullName(repo)}/pull/${issue.number}`,
    diff_url: `${WEB}/${fullName(repo)}/pull/${issue.number}.diff`,
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: userView(issue.user),
    body: issue.body.length === 0 ? null : issue.body,
    labels: labelsView(repo, issue.labels),
    assignees: issue.assignees.map((login) => userView(userByLogin(state, login))),
    requested_reviewers: [],
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    draft: pull?.draft ?? false,
    merged: pull?.merged ?? false,
    mergeable: true,
    head: branch(pull?.head ?? repo.defaultBranch),
    base: branch(pull?.base ?? repo.defaultBranch),
    author_association: "OWNER",
    commits: 1,
    additions: 1,
    deletions: 0,
    changed_files: 1
  }
}

export const commentView = (repo: FakeRepo, issue: FakeIssue, comment: FakeComment) => ({
  url: `${API}/repos/${fullName(repo)}/issues/comments/${comment.id}`,
  html_url: `${WEB}/${fullName(repo)}/issues/${issue.number}#issuecomment-${comment.id}`,
  issue_url: `${API}/repos/${fullName(repo)}/issues/${issue.number}`,
  id: comment.id,
  node_id: `IC_${comment.id}`,
  user: userView(comment.user),
  created_at: comment.createdAt,
  updated_at: comment.createdAt,
  author_association: comment.viaAppId === null ? "MEMBER" : "NONE",
  body: comment.body,
  reactions: { total_count: 0 },
  performed_via_github_app: comment.viaAppId === null ? null : { id: comment.viaAppId, slug: null, node_id: `A_${comment.viaAppId}` }
})

export const reviewView = (repo: FakeRepo, issue: FakeIssue, review: FakeReview) => ({
  id: review.id,
  node_id: `PRR_${review.id}`,
  user: userView(review.user),
  body: review.body,
  state: review.state,
  html_url: `${WEB}/${fullName(repo)}/pull/${issue.number}#pullrequestreview-${review.id}`,
  pull_request_url: `${API}/repos/${fullName(repo)}/pulls/${issue.number}`,
  submitted_at: review.submittedAt,
  commit_id: review.commitId,
  author_association: "NONE"
})

export const installationView = (state: FakeGitHubState, installation: FakeInstallation) => {
  const app = state.apps.get(installation.appId)
  return {
    id: installation.id,
    account: userView(installation.account),
    repository_selection: "all",
    access_tokens_url: `${API}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${API}/installation/repositories`,
    html_url: `${WEB}/settings/installations/${installation.id}`,
    app_id: installation.appId,
    app_slug: app?.slug ?? null,
    target_id: installation.account.id,
    target_type: installation.account.type,
    permissions: installation.permissions,
    events: [...(app?.events ?? [])],
    created_at: iso(state.now()),
    updated_at: iso(state.now()),
    single_file_name: null,
    suspended_by: null,
    suspended_at: installation.suspended ? iso(state.now()) : null
  }
}

export const appView = (app: FakeApp) => ({
  id: app.id,
  slug: app.slug,
  node_id: `A_${app.id}`,
  client_id: app.clientId,
  owner: userView(app.owner),
  name: app.name,
  description: "",
  external_url: "",
  html_url: `${WEB}/apps/${app.slug}`,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  permissions: app.permissions,
  events: [...app.events],
  installations_count: 0
})
