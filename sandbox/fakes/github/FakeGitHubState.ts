/**
 * The in-memory world behind the fake GitHub: people, Apps (each with a real RSA key pair),
 * their installations and tokens, repositories with branches, commits and files, issues and
 * pull requests with comments and reviews, plus the switches tests flip (forced rate limits,
 * token lifetime) and the request log tests read. Plain mutable data on Web APIs only, so the
 * fake runs on any runtime. Tokens and ids are random or counted; nothing here is secure.
 */

export interface FakeUser {
  readonly login: string
  readonly id: number
  /** `User`, `Bot` or `Organization`. */
  readonly type: string
}

export interface FakeApp {
  readonly id: number
  readonly slug: string
  readonly name: string
  readonly owner: FakeUser
  readonly clientId: string
  readonly clientSecret: string
  readonly webhookSecret: string
  /** The private key as GitHub hands it out: PKCS#1 PEM. */
  readonly pem: string
  readonly publicKey: CryptoKey
  readonly hookUrl: string | null
  readonly setupUrl: string | null
  readonly redirectUrl: string | null
  readonly requestOAuthOnInstall: boolean
  readonly permissions: Record<string, string>
  readonly events: ReadonlyArray<string>
  readonly bot: FakeUser
}

export interface FakeInstallation {
  readonly id: number
  readonly appId: number
  readonly account: FakeUser
  /** Who clicked install, for `GET /user/installations`. */
  readonly installer: string
  permissions: Record<string, string>
  suspended: boolean
  deleted: boolean
}

export interface FakeToken {
  readonly token: string
  readonly kind: "installation" | "user"
  readonly installationId: number | null
  readonly login: string | null
  expiresAt: number
  revoked: boolean
}

export interface FakeFile {
  readonly content: string
  readonly sha: string
}

export interface FakeCommit {
  readonly sha: string
  readonly message: string
  readonly parent: string | null
  readonly tree: ReadonlyMap<string, FakeFile>
}

export interface FakeComment {
  readonly id: number
  readonly body: string
  readonly user: FakeUser
  readonly createdAt: string
  /** The app that posted it, when an installation token did. */
  readonly viaAppId: number | null
}

export interface FakeReview {
  readonly id: number
  readonly user: FakeUser
  readonly state: string
  readonly body: string
  readonly commitId: string
  readonly comments: ReadonlyArray<{ readonly path: string; readonly line: number; readonly side: string; readonly body: string }>
  readonly submittedAt: string
}

export interface FakePull {
  readonly head: string
  readonly base: string
  draft: boolean
  merged: boolean
  readonly reviews: Array<FakeReview>
}

export interface FakeIssue {
  readonly number: number
  title: string
  body: string
  state: "open" | "closed"
  stateReason: string | null
  readonly user: FakeUser
  labels: Array<string>
  assignees: Array<string>
  readonly comments: Array<FakeComment>
  readonly pull: FakePull | null
  readonly createdAt: string
  updatedAt: string
  closedAt: string | null
}

export interface FakeRepo {
  readonly id: number
  readonly owner: FakeUser
  readonly name: string
  readonly defaultBranch: string
  readonly private: boolean
  readonly branches: Map<string, string>
  readonly commits: Map<string, FakeCommit>
  readonly issues: Array<FakeIssue>
  readonly labels: Set<string>
}

export interface FakeForcedLimit {
  readonly kind: "primary" | "secondary"
  remaining: number
  readonly retryAfterSeconds: number | null
  readonly resetInSeconds: number
  readonly status: 403 | 429
}

export interface FakeRequest {
  readonly method: string
  readonly path: string
  readonly status: number
  /** `jwt:<app id>`, `installation:<id>`, `user:<login>` or `none`. */
  readonly auth: string
  readonly at: number
}

export interface FakeGitHubState {
  readonly users: Map<string, FakeUser>
  readonly apps: Map<number, FakeApp>
  readonly installations: Map<number, FakeInstallation>
  readonly tokens: Map<string, FakeToken>
  readonly repos: Map<string, FakeRepo>
  /** Manifest codes waiting for their conversion: code → the app to create. */
  readonly manifestCodes: Map<string, { readonly manifest: Record<string, unknown>; readonly owner: FakeUser; readonly expiresAt: number }>
  /** OAuth codes of installers: code → login. */
  readonly userCodes: Map<string, string>
  readonly installRequests: Array<{ readonly appId: number; readonly account: string; readonly requester: string }>
  readonly requests: Array<FakeRequest>
  /** The person using the web pages (creating apps, installing them). */
  webUser: string
  tokenTtlSeconds: number
  forcedLimit: FakeForcedLimit | null
  nextId: number
  readonly now: () => number
}

export const makeState = (options: { readonly now?: (() => number) | undefined } = {}): FakeGitHubState => ({
  users: new Map(),
  apps: new Map(),
  installations: new Map(),
  tokens: new Map(),
  repos: new Map(),
  manifestCodes: new Map(),
  userCodes: new Map(),
  installRequests: [],
  requests: [],
  webUser: "octocat",
  tokenTtlSeconds: 3600,
  forcedLimit: null,
  nextId: 1000,
  now: options.now ?? (() => Date.now())
})

export const nextId = (state: FakeGitHubState): number => ++state.nextId

const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, "0")).join("")

export const randomToken = (prefix: string) => `${prefix}${randomHex(18)}`

export const iso = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z")

/** A person or an organization, created on first use. */
export const userOf = (state: FakeGitHubState, login: string, type = "User"): FakeUser => {
  const key = login.toLowerCase()
  const known = state.users.get(key)
  if (known !== undefined) return known
  const user = { login, id: nextId(state), type }
  state.users.set(key, user)
  return user
}

export const repoKey = (owner: string, name: string) => `${owner}/${name}`.toLowerCase()

export const findRepo = (state: FakeGitHubState, owner: string, name: string): FakeRepo | undefined =>
  state.repos.get(repoKey(owner, name))

export const fullName = (repo: FakeRepo) => `${repo.owner.login}/${repo.name}`

/** Git's blob id: SHA-1 of `blob <length>\0<content>`. */
export const blobSha = async (content: string): Promise<string> => {
  const bytes = new TextEncoder().encode(content)
  const header = new TextEncoder().encode(`blob ${bytes.length}\0`)
  const data = new Uint8Array(header.length + bytes.length)
  data.set(header)
  data.set(bytes, header.length)
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-1", data)), (byte) => byte.toString(16).padStart(2, "0"))
    .join("")
}

export const commitSha = () => randomHex(20)
