/**
 * The fake Jira's test controls, for in-process tests: seed people and issues, comment as
 * someone, read what the agent wrote, mint, expire and revoke OAuth tokens, force rate limits and
 * vendor errors, switch auto-approval, read the call and refresh logs, and snapshot the data.
 */
import type { Fault } from "../../kit/FakeFaults.ts"
import * as Data from "./FakeJiraData.ts"
import * as State from "./FakeJiraState.ts"
import * as Tokens from "./FakeJiraTokens.ts"

export interface FakeJiraControl {
  readonly state: State.FakeJiraState
  readonly clientId: string
  readonly clientSecret: string
  readonly cloudId: string
  /** The account the agent acts as: it consents to OAuth and owns the default API token. */
  readonly agent: State.FakeUser
  /** Someone who assigns and comments (Ada Lovelace). */
  readonly human: State.FakeUser
  readonly apiToken: string
  readonly seedUser: (user: State.FakeUser, apiToken?: string) => State.FakeUser
  readonly seedIssue: (seed?: Data.SeedIssue) => State.FakeIssue
  readonly issue: (keyOrId: string) => State.FakeIssue | undefined
  /** The issue's status name. */
  readonly statusOf: (keyOrId: string) => string | undefined
  /** A comment someone (by default the human) wrote, as wiki-markup-free plain text. */
  readonly addComment: (keyOrId: string, text: string, authorId?: string) => State.FakeComment
  readonly comments: (keyOrId?: string) => ReadonlyArray<State.FakeComment & { readonly text: string }>
  readonly mintTokens: (scopes?: ReadonlyArray<string>) => Tokens.IssuedTokens
  /** Expires every live access token; refresh tokens keep working. */
  readonly expireAll: () => number
  /** Ends every grant, as removing the app from the account does. */
  readonly revokeAll: () => number
  readonly setAccessTokenTtl: (seconds: number) => void
  /** `false` turns it off; otherwise every API call answers 429 with this Retry-After. */
  readonly setRateLimited: (limit: false | { readonly retryAfterSeconds: number }) => void
  /** The next `count` API calls answer `status` (default a 500) instead of working. */
  readonly failNext: (fault?: Partial<Fault>, count?: number) => void
  readonly setAutoApprove: (on: boolean) => void
  readonly allowRedirectUri: (uri: string) => void
  readonly calls: () => ReadonlyArray<State.FakeCall>
  /** `grant_type=refresh_token` requests, answered or refused. */
  readonly refreshes: () => ReadonlyArray<State.FakeTokenRequest>
  /** People, projects, issues and comments as JSON (tokens and logs are not kept). */
  readonly snapshot: () => string
  readonly restore: (snapshot: string) => void
}

export const makeControl = (state: State.FakeJiraState): FakeJiraControl => {
  const need = (keyOrId: string) => {
    const issue = Data.findIssue(state, keyOrId)
    if (issue === undefined) throw new Error(`the fake Jira has no issue ${keyOrId}`)
    return issue
  }
  return {
    state,
    clientId: state.clientId,
    clientSecret: state.clientSecret,
    cloudId: state.cloudId,
    agent: State.AGENT,
    human: State.ADA,
    apiToken: State.AGENT_API_TOKEN,
    seedUser: (user, apiToken) => {
      state.users.set(user.accountId, user)
      if (apiToken !== undefined) state.apiTokens.set(user.emailAddress.toLowerCase(), apiToken)
      return user
    },
    seedIssue: (seed) => Data.seedIssue(state, seed),
    issue: (keyOrId) => Data.findIssue(state, keyOrId),
    statusOf: (keyOrId) => {
      const issue = Data.findIssue(state, keyOrId)
      return issue === undefined ? undefined : State.STATUSES.find((status) => status.id === issue.statusId)?.name
    },
    addComment: (keyOrId, text, authorId) => Data.addComment(state, need(keyOrId), Data.adf(text), authorId ?? State.ADA.accountId),
    comments: (keyOrId) => {
      const issueId = keyOrId === undefined ? undefined : need(keyOrId).id
      return state.comments.filter((comment) => issueId === undefined || comment.issueId === issueId).map((comment) => ({
        ...comment,
        text: Data.textOf(comment.body)
      }))
    },
    mintTokens: (scopes) => Tokens.grantsOf(state).issue({ scopes: scopes ?? State.SCOPES, extra: { accountId: State.AGENT.accountId } }),
    expireAll: () => Tokens.grantsOf(state).expireAll(),
    revokeAll: () => Tokens.revokeAll(state),
    setAccessTokenTtl: (seconds) => {
      state.accessTokenTtlSeconds = seconds
    },
    setRateLimited: (limit) =>
      state.faults.setAlways(limit === false ? false : {
        status: 429,
        body: { errorMessages: ["Rate limit exceeded"] },
        headers: { "retry-after": String(limit.retryAfterSeconds) }
      }),
    failNext: (fault = {}, count = 1) =>
      state.faults.failNext({ status: fault.status ?? 500, body: fault.body ?? { errorMessages: ["Internal server error"] }, headers: fault.headers }, count),
    setAutoApprove: (on) => {
      state.autoApprove = on
    },
    allowRedirectUri: (uri) => {
      state.redirectUris = [...(state.redirectUris ?? []), uri]
    },
    calls: () => [...state.calls],
    refreshes: () => state.tokenRequests.filter((request) => request.grantType === "refresh_token"),
    snapshot: () =>
      JSON.stringify({
        users: [...state.users.values()],
        projects: [...state.projects.values()],
        issues: [...state.issues.values()],
        comments: state.comments,
        nextId: state.nextId
      }),
    restore: (snapshot) => Data.restore(state, snapshot)
  }
}
