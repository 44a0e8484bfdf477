/**
 * The fake Jira's in-memory state: one site (cloud id, name, URL), its people (the agent's
 * account, which consents to OAuth and owns the default API token, and humans), projects with a
 * classic workflow, issues, comments, OAuth codes and rotating tokens, API tokens, and logs of
 * API calls and token requests. Plain data, so the sandbox can snapshot and restore it.
 */
import { type Faults, makeFaults } from "../../kit/FakeFaults.ts"
import { type AccessToken, makeOAuthStore, type OAuthStore } from "../../kit/FakeGrants.ts"

export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

export interface FakeUser {
  readonly accountId: string
  readonly displayName: string
  readonly emailAddress: string
  readonly active: boolean
}

export interface FakeStatus {
  readonly id: string
  readonly name: string
  /** Jira's status category key: `new`, `indeterminate` or `done`. */
  readonly category: "new" | "indeterminate" | "done"
}

/** A workflow transition: every status can take it, except the one it leads to. */
export interface FakeTransition {
  readonly id: string
  readonly name: string
  readonly toStatusId: string
}

export interface FakeProject {
  readonly id: string
  readonly key: string
  readonly name: string
  nextNumber: number
}

export interface FakeIssue {
  readonly id: string
  key: string
  projectId: string
  summary: string
  /** An ADF document, as REST v3 stores rich text. */
  description: Json
  statusId: string
  assigneeId: string | null
  reporterId: string
  priority: string | null
  labels: Array<string>
  issueType: string
  dueDate: string | null
  readonly created: string
  updated: string
}

export interface FakeComment {
  readonly id: string
  readonly issueId: string
  readonly authorId: string
  readonly body: Json
  readonly created: string
}

/** What a code and a token carry besides the grant: the account that consented. */
export interface ConsentingAccount {
  readonly accountId: string
}

export type FakeAccessToken = AccessToken<ConsentingAccount>

export interface FakeCall {
  readonly method: string
  /** The REST path, `/rest/api/3/issue/ENG-1`, without the `/ex/jira/<cloud id>` prefix. */
  readonly path: string
  readonly auth: "bearer" | "basic"
  readonly status: number
}

export interface FakeTokenRequest {
  readonly grantType: string
  readonly status: number
}

export interface FakeJiraOptions {
  readonly clientId?: string | undefined
  readonly clientSecret?: string | undefined
  readonly cloudId?: string | undefined
  readonly siteName?: string | undefined
  /** The site's URL as Jira names it (self URLs, accessible-resources); default: the origin the fake is reached at. */
  readonly siteUrl?: string | undefined
  /** Redirect URIs the OAuth app registered; when omitted any http(s) URI is accepted. */
  readonly redirectUris?: ReadonlyArray<string> | undefined
  /** Approve `/authorize` without the consent page (for scripts that follow redirects). */
  readonly autoApprove?: boolean | undefined
  /** Atlassian's access tokens live an hour. */
  readonly accessTokenTtlSeconds?: number | undefined
  readonly now?: (() => number) | undefined
}

export const AGENT: FakeUser = { accountId: "5b10ac8d82e05b22cc7d4ef5", displayName: "Switchboard Agent", emailAddress: "agent@example.com", active: true }
export const ADA: FakeUser = { accountId: "5b109f2e9729b51b54dc274d", displayName: "Ada Lovelace", emailAddress: "ada@example.com", active: true }
export const GRACE: FakeUser = { accountId: "5b10a2844c20165700ede21f", displayName: "Grace Hopper", emailAddress: "grace@example.com", active: true }

/** The agent account's API token, for credential paste against the fake. */
export const AGENT_API_TOKEN = "fake-jira-api-token"

export const STATUSES: ReadonlyArray<FakeStatus> = [
  { id: "10000", name: "To Do", category: "new" },
  { id: "3", name: "In Progress", category: "indeterminate" },
  { id: "10001", name: "Done", category: "done" }
]

/** A classic workflow: transition names differ from the statuses they lead to. */
export const TRANSITIONS: ReadonlyArray<FakeTransition> = [
  { id: "11", name: "Reopen", toStatusId: "10000" },
  { id: "21", name: "Start progress", toStatusId: "3" },
  { id: "31", name: "Resolve", toStatusId: "10001" }
]

export const PRIORITIES = ["Highest", "High", "Medium", "Low", "Lowest"]
export const ISSUE_TYPES = ["Task", "Bug", "Story"]
export const SCOPES = ["read:jira-work", "write:jira-work", "read:jira-user", "manage:jira-project", "offline_access"]

export interface FakeJiraState extends OAuthStore<ConsentingAccount, ConsentingAccount> {
  readonly clientId: string
  readonly clientSecret: string
  readonly cloudId: string
  readonly siteName: string
  siteUrl: string | null
  redirectUris: ReadonlyArray<string> | null
  readonly users: Map<string, FakeUser>
  readonly projects: Map<string, FakeProject>
  readonly issues: Map<string, FakeIssue>
  readonly comments: Array<FakeComment>
  /** email → API token */
  readonly apiTokens: Map<string, string>
  readonly calls: Array<FakeCall>
  readonly tokenRequests: Array<FakeTokenRequest>
  readonly faults: Faults
  nextId: number
}

export const makeState = (options: FakeJiraOptions = {}): FakeJiraState => ({
  clientId: options.clientId ?? "fake-jira-client-id",
  clientSecret: options.clientSecret ?? "fake-jira-client-secret",
  cloudId: options.cloudId ?? "11223344-a1b2-4c3d-8e9f-00aabbccddee",
  siteName: options.siteName ?? "Fake Site",
  siteUrl: options.siteUrl ?? null,
  redirectUris: options.redirectUris ?? null,
  ...makeOAuthStore({ now: options.now, autoApprove: options.autoApprove, accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600 }),
  users: new Map([AGENT, ADA, GRACE].map((user) => [user.accountId, user])),
  projects: new Map([["10000", { id: "10000", key: "ENG", name: "Engineering", nextNumber: 1 }], ["10001", { id: "10001", key: "OPS", name: "Operations", nextNumber: 1 }]]),
  issues: new Map(),
  comments: [],
  apiTokens: new Map([[AGENT.emailAddress, AGENT_API_TOKEN]]),
  calls: [],
  tokenRequests: [],
  faults: makeFaults(),
  nextId: 10001
})

export const nextId = (state: FakeJiraState): string => String(state.nextId++)

export const isoAt = (state: FakeJiraState): string => new Date(state.now()).toISOString().replace("Z", "+0000")
