/**
 * The fake GitHub's test controls, for in-process tests: create Apps and installations
 * directly, approve pending install requests, suspend or delete installations; seed
 * repositories, files, issues, pull requests and comments; read what the provider wrote
 * (comments, reviews, files, branches); expire or revoke tokens, change their lifetime; force
 * primary or secondary rate limits; read the request log.
 */
import { createApp, createInstallation } from "./FakeGitHubApps.ts"
import * as State from "./FakeGitHubState.ts"

export interface SeedIssue {
  readonly title: string
  readonly body?: string | undefined
  readonly labels?: ReadonlyArray<string> | undefined
  readonly assignees?: ReadonlyArray<string> | undefined
  readonly author?: string | undefined
}

export interface SeedPull extends SeedIssue {
  readonly head: string
  readonly base?: string | undefined
  /** Files the head branch changes (path → new content). */
  readonly files: Readonly<Record<string, string>>
}

export interface ForceLimit {
  readonly kind: "primary" | "secondary"
  /** How many requests get the limited answer (default 1). */
  readonly count?: number | undefined
  /** Secondary only; none sends no `retry-after` header. */
  readonly retryAfterSeconds?: number | null | undefined
  readonly resetInSeconds?: number | undefined
  readonly status?: 403 | 429 | undefined
}

const need = <A>(value: A | undefined, what: string): A => {
  if (value === undefined) throw new Error(`fake GitHub: no ${what}`)
  return value
}

export const makeControl = (state: State.FakeGitHubState) => {
  const repo = (name: string) => need(state.repos.get(name.toLowerCase()), `repository ${name}`)
  const issue = (name: string, number: number) => need(repo(name).issues.find((entry) => entry.number === number), `issue ${name}#${number}`)
  const commit = async (target: State.FakeRepo, branch: string, files: Readonly<Record<string, string>>, message: string) => {
    const parent = target.branches.get(branch) ?? target.branches.get(target.defaultBranch) ?? null
    const tree = new Map(parent === null ? [] : target.commits.get(parent)?.tree ?? [])
    for (const [path, content] of Object.entries(files)) tree.set(path, { content, sha: await State.blobSha(content) })
    const next: State.FakeCommit = { sha: State.commitSha(), message, parent, tree }
    target.commits.set(next.sha, next)
    target.branches.set(branch, next.sha)
    return next
  }
  const newIssue = (target: State.FakeRepo, seed: SeedIssue, pull: State.FakePull | null): State.FakeIssue => {
    const now = State.iso(state.now())
    const created: State.FakeIssue = {
      number: target.issues.length + 1,
      title: seed.title,
      body: seed.body ?? "",
      state: "open",
      stateReason: null,
      user: State.userOf(state, seed.author ?? state.webUser),
      labels: [...(seed.labels ?? [])],
      assignees: [...(seed.assignees ?? [])],
      comments: [],
      pull,
      createdAt: now,
      updatedAt: now,
      closedAt: null
    }
    target.issues.push(created)
    return created
  }

  return {
    state,
    setWebUser: (login: string) => {
      state.webUser = login
    },
    createApp: (options: { readonly name: string; readonly owner?: string; readonly setupUrl?: string; readonly hookUrl?: string; readonly requestOAuthOnInstall?: boolean; readonly permissions?: Record<string, string> }) =>
      createApp(state, {
        name: options.name,
        setup_url: options.setupUrl,
        hook_attributes: { url: options.hookUrl },
        request_oauth_on_install: options.requestOAuthOnInstall === true,
        default_permissions: options.permissions ?? { issues: "write", pull_requests: "write", contents: "write" },
        default_events: ["issues", "issue_comment", "pull_request", "pull_request_review", "pull_request_review_comment"]
      }, State.userOf(state, options.owner ?? state.webUser)),
    app: (slug: string) => need([...state.apps.values()].find((app) => app.slug === slug), `app ${slug}`),
    apps: () => [...state.apps.values()],
    install: (slug: string, account: string) => {
      const app = need([...state.apps.values()].find((entry) => entry.slug === slug), `app ${slug}`)
      return createInstallation(state, app, account, state.webUser)
    },
    installRequests: () => [...state.installRequests],
    installation: (id: number) => need(state.installations.get(id), `installation ${id}`),
    installations: () => [...state.installations.values()],
    suspend: (id: number, suspended = true) => {
      need(state.installations.get(id), `installation ${id}`).suspended = suspended
    },
    uninstall: (id: number) => {
      need(state.installations.get(id), `installation ${id}`).deleted = true
    },
    setPermissions: (id: number, permissions: Record<string, string>) => {
      need(state.installations.get(id), `installation ${id}`).permissions = { ...permissions }
    },
    seedRepo: async (fullName: string, options: { readonly private?: boolean; readonly defaultBranch?: string; readonly files?: Readonly<Record<string, string>> } = {}) => {
      const [owner = "", name = ""] = fullName.split("/")
      const created: State.FakeRepo = {
        id: State.nextId(state),
        owner: State.userOf(state, owner, owner === state.webUser ? "User" : "Organization"),
        name,
        defaultBranch: options.defaultBranch ?? "main",
        private: options.private ?? true,
        branches: new Map(),
        commits: new Map(),
        issues: [],
        labels: new Set()
      }
      state.repos.set(State.repoKey(owner, name), created)
      await commit(created, created.defaultBranch, options.files ?? { "README.md": `# ${name}\n` }, "Initial commit")
      return created
    },
    seedIssue: (fullName: string, seed: SeedIssue) => newIssue(repo(fullName), seed, null),
    seedPullRequest: async (fullName: string, seed: SeedPull) => {
      const target = repo(fullName)
      await commit(target, seed.head, seed.files, seed.title)
      return newIssue(target, seed, { head: seed.head, base: seed.base ?? target.defaultBranch, draft: false, merged: false, reviews: [] })
    },
    addComment: (fullName: string, number: number, body: string, author?: string) => {
      const comment = { id: State.nextId(state), body, user: State.userOf(state, author ?? state.webUser), createdAt: State.iso(state.now()), viaAppId: null }
      issue(fullName, number).comments.push(comment)
      return comment
    },
    repo,
    issue,
    comments: (fullName: string, number: number) => [...issue(fullName, number).comments],
    reviews: (fullName: string, number: number) => [...(issue(fullName, number).pull?.reviews ?? [])],
    file: (fullName: string, ref: string, path: string) => {
      const target = repo(fullName)
      return target.commits.get(target.branches.get(ref) ?? ref)?.tree.get(path)
    },
    branch: (fullName: string, name: string) => repo(fullName).branches.get(name),
    commit: (fullName: string, sha: string) => repo(fullName).commits.get(sha),
    /** Installation tokens handed out so far (for one installation, or all). */
    mintedTokens: (installationId?: number) =>
      [...state.tokens.values()].filter((token) => token.kind === "installation" && (installationId === undefined || token.installationId === installationId)),
    /** Expires every live token now; answers how many. */
    expireTokens: () => {
      const live = [...state.tokens.values()].filter((token) => !token.revoked && token.expiresAt > state.now())
      for (const token of live) token.expiresAt = state.now() - 1
      return live.length
    },
    setTokenTtl: (seconds: number) => {
      state.tokenTtlSeconds = seconds
    },
    forceRateLimit: (limit: ForceLimit) => {
      state.forcedLimit = {
        kind: limit.kind,
        remaining: limit.count ?? 1,
        retryAfterSeconds: limit.kind === "secondary" ? limit.retryAfterSeconds === undefined ? 60 : limit.retryAfterSeconds : null,
        resetInSeconds: limit.resetInSeconds ?? 600,
        status: limit.status ?? 403
      }
    },
    clearRateLimit: () => {
      state.forcedLimit = null
    },
    requests: () => [...state.requests]
  }
}

export type FakeGitHubControl = ReturnType<typeof makeControl>
