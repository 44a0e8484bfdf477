/**
 * The in-memory world behind the fake Linear: one organization with its app user, teams,
 * issues, comments, OAuth clients, codes and tokens, plus the switches tests flip (rate
 * limiting, auto-approval). Plain data and functions on Web APIs only, so the fake runs on any
 * runtime; the HTTP side lives in `FakeLinear.ts`.
 */

export interface FakeOrganization {
  readonly id: string
  readonly name: string
  readonly urlKey: string
}

export interface FakeUser {
  readonly id: string
  readonly name: string
}

export interface FakeTeam {
  readonly id: string
  readonly key: string
  readonly name: string
}

export interface FakeIssue {
  readonly id: string
  readonly identifier: string
  readonly title: string
  readonly description: string | null
  readonly url: string
  readonly priority: number
  readonly priorityLabel: string
  readonly teamId: string
  readonly state: { readonly name: string; readonly type: string }
  readonly assignee: FakeUser | null
  readonly labels: ReadonlyArray<string>
  readonly createdAt: string
  readonly updatedAt: string
}

export interface FakeComment {
  readonly id: string
  readonly issueId: string
  readonly body: string
  readonly userId: string
  readonly url: string
  readonly createdAt: string
}

export interface FakeAuthorizationCode {
  readonly code: string
  readonly clientId: string
  readonly redirectUri: string
  readonly scopes: ReadonlyArray<string>
  readonly actor: string
  readonly codeChallenge: string | null
  readonly expiresAt: number
  used: boolean
  /** The grant issued for this code, so a replayed code can revoke it (RFC 6749 §4.1.2). */
  grantId: string | null
}

export interface FakeAccessToken {
  readonly token: string
  readonly grantId: string
  readonly scopes: ReadonlyArray<string>
  expiresAt: number
  revoked: boolean
}

export interface FakeRefreshToken {
  readonly token: string
  readonly grantId: string
  readonly scopes: ReadonlyArray<string>
  /** Rotated away: a refresh token works once. */
  used: boolean
  revoked: boolean
}

export interface FakeRateLimit {
  /** Seconds sent as `Retry-After`; none to send only the reset headers. */
  readonly retryAfterSeconds: number | null
  /** When the request budget resets, sent as `X-RateLimit-Requests-Reset` (epoch ms). */
  readonly resetInSeconds: number
}

export interface FakeLinearOptions {
  readonly clientId?: string | undefined
  readonly clientSecret?: string | undefined
  /** Redirect URIs the OAuth app registered; when omitted any http(s) URI is accepted. */
  readonly redirectUris?: ReadonlyArray<string> | undefined
  /** Linear's access tokens live 24 hours. */
  readonly accessTokenTtlSeconds?: number | undefined
  readonly organization?: FakeOrganization | undefined
  readonly appUser?: FakeUser | undefined
  /** Approve `/oauth/authorize` without showing the consent page (for scripts that follow redirects). */
  readonly autoApprove?: boolean | undefined
  /** The clock for expiries, so tests can age tokens without waiting. */
  readonly now?: (() => number) | undefined
}

export interface FakeLinearState {
  readonly clientId: string
  readonly clientSecret: string
  redirectUris: ReadonlyArray<string> | null
  readonly accessTokenTtlSeconds: number
  readonly organization: FakeOrganization
  readonly appUser: FakeUser
  readonly now: () => number
  autoApprove: boolean
  rateLimit: FakeRateLimit | null
  readonly teams: Map<string, FakeTeam>
  readonly issues: Map<string, FakeIssue>
  readonly comments: Array<FakeComment>
  readonly codes: Map<string, FakeAuthorizationCode>
  readonly accessTokens: Map<string, FakeAccessToken>
  readonly refreshTokens: Map<string, FakeRefreshToken>
  issueCounter: number
}

export const DEFAULT_TEAM: FakeTeam = { id: "team-eng-0000-0000-000000000001", key: "ENG", name: "Engineering" }

export const makeState = (options: FakeLinearOptions = {}): FakeLinearState => ({
  clientId: options.clientId ?? "fake-linear-client-id",
  clientSecret: options.clientSecret ?? "fake-linear-client-secret",
  redirectUris: options.redirectUris ?? null,
  accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 86_399,
  organization: options.organization ??
    { id: "org-fake-0000-0000-000000000001", name: "Fake Workspace", urlKey: "fake-workspace" },
  appUser: options.appUser ?? { id: "user-app-0000-0000-000000000001", name: "Switchboard Agent" },
  now: options.now ?? Date.now,
  autoApprove: options.autoApprove ?? false,
  rateLimit: null,
  teams: new Map([[DEFAULT_TEAM.id, DEFAULT_TEAM]]),
  issues: new Map(),
  comments: [],
  codes: new Map(),
  accessTokens: new Map(),
  refreshTokens: new Map(),
  issueCounter: 0
})

export const randomToken = (prefix: string): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(24))
  return prefix + Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")
}

const iso = (state: FakeLinearState) => new Date(state.now()).toISOString()

export interface SeedIssue {
  readonly id?: string | undefined
  readonly title?: string | undefined
  readonly description?: string | null | undefined
  readonly teamId?: string | undefined
  readonly priority?: number | undefined
  readonly stateName?: string | undefined
  readonly stateType?: string | undefined
  readonly labels?: ReadonlyArray<string> | undefined
  readonly assignee?: FakeUser | null | undefined
}

const priorityLabels = ["No priority", "Urgent", "High", "Medium", "Low"]

export const seedIssue = (state: FakeLinearState, seed: SeedIssue = {}): FakeIssue => {
  const team = state.teams.get(seed.teamId ?? DEFAULT_TEAM.id) ?? DEFAULT_TEAM
  state.issueCounter += 1
  const identifier = `${team.key}-${state.issueCounter}`
  const priority = seed.priority ?? 0
  const issue: FakeIssue = {
    id: seed.id ?? crypto.randomUUID(),
    identifier,
    title: seed.title ?? `Fake issue ${identifier}`,
    description: seed.description === undefined ? null : seed.description,
    url: `https://linear.app/${state.organization.urlKey}/issue/${identifier}`,
    priority,
    priorityLabel: priorityLabels[priority] ?? "No priority",
    teamId: team.id,
    state: { name: seed.stateName ?? "Todo", type: seed.stateType ?? "unstarted" },
    assignee: seed.assignee ?? null,
    labels: seed.labels ?? [],
    createdAt: iso(state),
    updatedAt: iso(state)
  }
  state.issues.set(issue.id, issue)
  return issue
}

/** Linear's `issue(id:)` takes the UUID or the identifier. */
export const findIssue = (state: FakeLinearState, idOrIdentifier: string): FakeIssue | undefined =>
  state.issues.get(idOrIdentifier) ??
    Array.from(state.issues.values()).find((issue) => issue.identifier.toLowerCase() === idOrIdentifier.toLowerCase())

export const addComment = (state: FakeLinearState, issue: FakeIssue, body: string): FakeComment => {
  const id = crypto.randomUUID()
  const comment: FakeComment = {
    id,
    issueId: issue.id,
    body,
    userId: state.appUser.id,
    url: `${issue.url}#comment-${id.slice(0, 8)}`,
    createdAt: iso(state)
  }
  state.comments.push(comment)
  return comment
}

export interface IssuedTokens {
  readonly accessToken: string
  readonly refreshToken: string
  readonly expiresIn: number
  readonly scopes: ReadonlyArray<string>
}

export const issueTokens = (
  state: FakeLinearState,
  grantId: string,
  scopes: ReadonlyArray<string>,
  expiresInSeconds: number = state.accessTokenTtlSeconds
): IssuedTokens => {
  const accessToken = randomToken("lin_oauth_")
  const refreshToken = randomToken("lin_refresh_")
  state.accessTokens.set(accessToken, {
    token: accessToken,
    grantId,
    scopes,
    expiresAt: state.now() + expiresInSeconds * 1000,
    revoked: false
  })
  state.refreshTokens.set(refreshToken, { token: refreshToken, grantId, scopes, used: false, revoked: false })
  return { accessToken, refreshToken, expiresIn: expiresInSeconds, scopes }
}

export const revokeGrant = (state: FakeLinearState, grantId: string): void => {
  for (const entry of state.accessTokens.values()) if (entry.grantId === grantId) entry.revoked = true
  for (const entry of state.refreshTokens.values()) if (entry.grantId === grantId) entry.revoked = true
}

/** Revoking any token of a grant ends the whole grant, as uninstalling the app does. */
export const revokeGrantOf = (state: FakeLinearState, token: string): boolean => {
  const grantId = state.accessTokens.get(token)?.grantId ?? state.refreshTokens.get(token)?.grantId
  if (grantId === undefined) return false
  revokeGrant(state, grantId)
  return true
}

export const expireAccessToken = (state: FakeLinearState, token: string): boolean => {
  const entry = state.accessTokens.get(token)
  if (entry === undefined) return false
  entry.expiresAt = state.now() - 1
  return true
}

export type TokenCheck =
  | { readonly _tag: "Valid"; readonly token: FakeAccessToken }
  | { readonly _tag: "Invalid"; readonly reason: string }

export const checkAccessToken = (state: FakeLinearState, token: string | null): TokenCheck => {
  if (token === null || token.length === 0) return { _tag: "Invalid", reason: "no bearer token" }
  const entry = state.accessTokens.get(token)
  if (entry === undefined) return { _tag: "Invalid", reason: "unknown token" }
  if (entry.revoked) return { _tag: "Invalid", reason: "revoked token" }
  if (entry.expiresAt <= state.now()) return { _tag: "Invalid", reason: "expired token" }
  return { _tag: "Valid", token: entry }
}
