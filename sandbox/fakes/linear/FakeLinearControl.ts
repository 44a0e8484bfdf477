/**
 * The fake Linear's test controls, for in-process tests: seed teams, people, labels, issues,
 * comments and agent sessions; read what the provider posted; mint, revoke and expire tokens;
 * switch rate limiting and auto-approval; read the GraphQL and refresh logs.
 */
import * as Data from "./FakeLinearData.ts"
import * as State from "./FakeLinearState.ts"
import * as Tokens from "./FakeLinearTokens.ts"

export interface FakeLinearControl {
  readonly state: State.FakeLinearState
  readonly clientId: string
  readonly clientSecret: string
  readonly organization: State.FakeOrganization
  readonly appUser: State.FakeUser
  /** Adds a team with Linear's default workflow (Backlog, Todo, In Progress, In Review, Done, Canceled). */
  readonly seedTeam: (team: State.FakeTeam) => State.FakeTeam
  readonly seedUser: (user: State.FakeUser) => State.FakeUser
  /** A label by name; `teamId` makes it a team label, otherwise a workspace label. */
  readonly seedLabel: (name: string, teamId?: string) => State.FakeLabel
  readonly seedIssue: (seed?: Data.SeedIssue) => State.FakeIssue
  readonly issue: (idOrIdentifier: string) => State.FakeIssue | undefined
  /** A comment someone (a person, by default the fake's human) wrote. */
  readonly addComment: (issueId: string, body: string, userId?: string) => State.FakeComment
  readonly comments: (issueId?: string) => ReadonlyArray<State.FakeComment>
  /** Opens an agent session, as Linear does when the app user is mentioned or delegated to. */
  readonly startAgentSession: (options?: { readonly id?: string | undefined; readonly issueId?: string | undefined }) => State.FakeAgentSession
  readonly activities: (agentSessionId?: string) => ReadonlyArray<State.FakeAgentActivity>
  /** A token set as if an install had happened (default scopes: read, write, app:*). */
  readonly mintTokens: (options?: {
    readonly scopes?: ReadonlyArray<string> | undefined
    readonly expiresInSeconds?: number | undefined
  }) => Tokens.IssuedTokens
  readonly revokeToken: (token: string) => boolean
  /** Ends every grant, as removing the app from the workspace does; answers how many. */
  readonly revokeAll: () => number
  readonly expireToken: (accessToken: string) => boolean
  /** Expires every live access token; refresh tokens keep working. */
  readonly expireAll: () => number
  /** Lifetime of access tokens issued from now on (Linear's is 24 hours). */
  readonly setAccessTokenTtl: (seconds: number) => void
  /** `false` turns it off; otherwise every GraphQL call answers RATELIMITED. */
  readonly setRateLimited: (limit: false | Partial<State.FakeRateLimit>) => void
  readonly setAutoApprove: (on: boolean) => void
  readonly allowRedirectUri: (uri: string) => void
  readonly graphqlCalls: () => ReadonlyArray<State.FakeGraphQLCall>
  /** Successful and failed `grant_type=refresh_token` requests. */
  readonly refreshes: () => ReadonlyArray<State.FakeTokenRequest>
}

/** The fake's default grant: what `actor=app` agents install with. */
export const DEFAULT_SCOPES = ["read", "write", "app:assignable", "app:mentionable"]

export const makeControl = (state: State.FakeLinearState): FakeLinearControl => ({
  state,
  clientId: state.clientId,
  clientSecret: state.clientSecret,
  organization: state.organization,
  appUser: state.appUser,
  seedTeam: (team) => State.addTeam(state, team),
  seedUser: (user) => {
    state.users.set(user.id, user)
    return user
  },
  seedLabel: (name, teamId) => {
    const label: State.FakeLabel = { id: crypto.randomUUID(), name, color: "#eb5757", teamId: teamId ?? null }
    state.labels.set(label.id, label)
    return label
  },
  seedIssue: (seed) => Data.seedIssue(state, seed),
  issue: (id) => Data.findIssue(state, id),
  addComment: (issueId, body, userId) => {
    const issue = Data.findIssue(state, issueId)
    if (issue === undefined) throw new Error(`the fake Linear has no issue ${issueId}`)
    return Data.addComment(state, issue, body, { userId: userId ?? State.DEFAULT_HUMAN.id })
  },
  comments: (issueId) => {
    const issue = issueId === undefined ? undefined : Data.findIssue(state, issueId)
    return issueId === undefined
      ? [...state.comments]
      : state.comments.filter((comment) => comment.issueId === (issue?.id ?? issueId))
  },
  startAgentSession: (options) => Data.startAgentSession(state, options),
  activities: (agentSessionId) =>
    state.agentActivities.filter((activity) => agentSessionId === undefined || activity.agentSessionId === agentSessionId),
  mintTokens: (options = {}) =>
    Tokens.grantsOf(state).issue({ scopes: options.scopes ?? DEFAULT_SCOPES, expiresInSeconds: options.expiresInSeconds, extra: {} }),
  revokeToken: (token) => Tokens.grantsOf(state).revokeGrantOf(token),
  revokeAll: () => Tokens.revokeAllGrants(state),
  expireToken: (token) => Tokens.grantsOf(state).expire(token),
  expireAll: () => Tokens.grantsOf(state).expireAll(),
  setAccessTokenTtl: (seconds) => {
    state.accessTokenTtlSeconds = seconds
  },
  setRateLimited: (limit) => {
    state.rateLimit = limit === false
      ? null
      : {
        retryAfterSeconds: limit.retryAfterSeconds ?? null,
        resetInSeconds: limit.resetInSeconds ?? 60,
        status: limit.status ?? 400,
        budget: limit.budget ?? "requests"
      }
  },
  setAutoApprove: (on) => {
    state.autoApprove = on
  },
  allowRedirectUri: (uri) => {
    state.redirectUris = [...(state.redirectUris ?? []), uri]
  },
  graphqlCalls: () => [...state.graphqlCalls],
  refreshes: () => state.tokenRequests.filter((request) => request.grantType === "refresh_token")
})

