/**
 * The in-memory world behind the fake Linear: one organization with its app user and people,
 * teams with their workflow states and labels, issues, comments, agent sessions and their
 * activities, OAuth clients, codes and tokens, plus the switches tests flip (rate limiting,
 * auto-approval) and logs tests read (GraphQL calls, token requests). Plain data on Web APIs
 * only, so the fake runs on any runtime; helpers live in `FakeLinearData.ts` and
 * `FakeLinearTokens.ts`, the HTTP side in `FakeLinear.ts`.
 */
import { type AccessToken, makeOAuthStore, type OAuthStore } from "../../kit/FakeGrants.ts"

export interface FakeOrganization {
  readonly id: string
  readonly name: string
  readonly urlKey: string
}

export interface FakeUser {
  readonly id: string
  readonly name: string
  /** The handle people @-mention; Linear's `User.displayName`. */
  readonly displayName?: string | undefined
  readonly email?: string | undefined
}

export interface FakeTeam {
  readonly id: string
  readonly key: string
  readonly name: string
}

export interface FakeWorkflowState {
  readonly id: string
  readonly teamId: string
  readonly name: string
  /** Linear's types: triage, backlog, unstarted, started, completed, canceled. */
  readonly type: string
  readonly position: number
}

export interface FakeLabel {
  readonly id: string
  readonly name: string
  readonly color: string
  /** None for a workspace label, usable by every team. */
  readonly teamId: string | null
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
  readonly state: { readonly id: string; readonly name: string; readonly type: string }
  readonly assignee: FakeUser | null
  /** Label names; each is also a `FakeLabel` in `labels`. */
  readonly labels: ReadonlyArray<string>
  /** `YYYY-MM-DD`, Linear's TimelessDate. */
  readonly dueDate: string | null
  readonly parentId: string | null
  readonly createdAt: string
  readonly updatedAt: string
}

export interface FakeComment {
  readonly id: string
  readonly issueId: string
  readonly body: string
  readonly userId: string
  readonly parentId: string | null
  readonly url: string
  readonly createdAt: string
}

export interface FakeAgentSession {
  readonly id: string
  readonly issueId: string | null
  readonly appUserId: string
  /** pending, active, awaitingInput, error, complete: moved by the last activity, as Linear does. */
  status: string
  readonly createdAt: string
}

export interface FakeAgentActivity {
  readonly id: string
  readonly agentSessionId: string
  readonly content: Readonly<Record<string, unknown>>
  readonly ephemeral: boolean
  readonly signal: string | null
  readonly userId: string
  readonly createdAt: string
  /** Epoch ms when the fake received it, for tests that measure deadlines. */
  readonly receivedAt: number
}

/** What a code carries besides the request: the client and whom the app acts as (`actor`). */
export interface CodeOrigin {
  readonly clientId: string
  readonly actor: string
}

// Linear's tokens carry nothing beyond their grant and scopes.
export type FakeAccessToken = AccessToken<{}>

export interface FakeRateLimit {
  /** Seconds sent as `Retry-After`; none to send only Linear's reset headers. */
  readonly retryAfterSeconds: number | null
  /** When the exhausted budget refills, sent as its `X-RateLimit-*-Reset` (epoch ms). */
  readonly resetInSeconds: number
  /** Linear answers RATELIMITED with HTTP 400; 429 is there to test the status fallback. */
  readonly status: number
  /** Which budget ran out: the request count or the query complexity. */
  readonly budget: "requests" | "complexity"
}

export interface FakeGraphQLCall {
  readonly operationName: string | null
  readonly fields: ReadonlyArray<string>
  readonly token: string | null
  readonly status: number
  readonly at: number
}

export interface FakeTokenRequest {
  readonly grantType: string
  readonly status: number
  readonly at: number
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

export interface FakeLinearState extends OAuthStore<CodeOrigin, {}> {
  readonly clientId: string
  readonly clientSecret: string
  redirectUris: ReadonlyArray<string> | null
  readonly organization: FakeOrganization
  readonly appUser: FakeUser
  rateLimit: FakeRateLimit | null
  readonly users: Map<string, FakeUser>
  readonly teams: Map<string, FakeTeam>
  readonly workflowStates: Map<string, FakeWorkflowState>
  readonly labels: Map<string, FakeLabel>
  readonly issues: Map<string, FakeIssue>
  readonly comments: Array<FakeComment>
  readonly agentSessions: Map<string, FakeAgentSession>
  readonly agentActivities: Array<FakeAgentActivity>
  readonly graphqlCalls: Array<FakeGraphQLCall>
  readonly tokenRequests: Array<FakeTokenRequest>
  issueCounter: number
}

export const DEFAULT_TEAM: FakeTeam = { id: "team-eng-0000-0000-000000000001", key: "ENG", name: "Engineering" }

/** The person the payload builders use as the human who mentions, assigns and prompts. */
export const DEFAULT_HUMAN: FakeUser = {
  id: "user-human-0000-0000-000000000001",
  name: "Ada Lovelace",
  displayName: "ada",
  email: "ada@example.com"
}

/** A new team's workflow, as Linear sets one up: each status type, in board order. */
export const DEFAULT_WORKFLOW: ReadonlyArray<readonly [string, string]> = [
  ["Backlog", "backlog"],
  ["Todo", "unstarted"],
  ["In Progress", "started"],
  ["In Review", "started"],
  ["Done", "completed"],
  ["Canceled", "canceled"]
]

const workflowFor = (team: FakeTeam): Array<[string, FakeWorkflowState]> =>
  DEFAULT_WORKFLOW.map(([name, type], position) => {
    const id = `state-${team.key.toLowerCase()}-${name.toLowerCase().replace(/\s+/g, "-")}`
    return [id, { id, teamId: team.id, name, type, position }]
  })

export const makeState = (options: FakeLinearOptions = {}): FakeLinearState => {
  const appUser: FakeUser = options.appUser ??
    { id: "user-app-0000-0000-000000000001", name: "Switchboard Agent", displayName: "switchboard" }
  return {
    clientId: options.clientId ?? "fake-linear-client-id",
    clientSecret: options.clientSecret ?? "fake-linear-client-secret",
    redirectUris: options.redirectUris ?? null,
    ...makeOAuthStore({ now: options.now, autoApprove: options.autoApprove, accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 86_399 }),
    organization: options.organization ??
      { id: "org-fake-0000-0000-000000000001", name: "Fake Workspace", urlKey: "fake-workspace" },
    appUser,
    rateLimit: null,
    users: new Map([[appUser.id, appUser], [DEFAULT_HUMAN.id, DEFAULT_HUMAN]]),
    teams: new Map([[DEFAULT_TEAM.id, DEFAULT_TEAM]]),
    workflowStates: new Map(workflowFor(DEFAULT_TEAM)),
    labels: new Map(),
    issues: new Map(),
    comments: [],
    agentSessions: new Map(),
    agentActivities: [],
    graphqlCalls: [],
    tokenRequests: [],
    issueCounter: 0
  }
}

/** Adds a team with Linear's default workflow states. */
export const addTeam = (state: FakeLinearState, team: FakeTeam): FakeTeam => {
  state.teams.set(team.id, team)
  for (const [id, workflowState] of workflowFor(team)) if (!state.workflowStates.has(id)) state.workflowStates.set(id, workflowState)
  return team
}

export const iso = (state: FakeLinearState): string => new Date(state.now()).toISOString()
