/**
 * The fake's `GET /search/issues`: GitHub's query language, enough of it for tests. Words must
 * all appear in the title or body; `repo:` qualifiers are alternatives (OR), `org:`/`user:`
 * restrict the owner, `is:issue|pr|open|closed`, `state:` and `label:` filter. Like GitHub,
 * the installation's private repositories plus public ones are searchable.
 */
import type { Caller } from "./FakeGitHubAuth.ts"
import { failure, json, validationFailed } from "./FakeGitHubHttp.ts"
import { type FakeGitHubState, type FakeIssue, type FakeRepo, fullName } from "./FakeGitHubState.ts"
import { issueView } from "./FakeGitHubViews.ts"

interface Query {
  readonly words: ReadonlyArray<string>
  readonly qualifiers: ReadonlyArray<readonly [string, string]>
}

const parse = (q: string): Query => {
  const tokens = q.trim().split(/\s+/).filter((token) => token.length > 0)
  const qualifiers = tokens.flatMap((token) => {
    const match = /^([a-z]+):(.+)$/i.exec(token)
    return match === null ? [] : [[(match[1] ?? "").toLowerCase(), (match[2] ?? "").toLowerCase()] as const]
  })
  return { words: tokens.filter((token) => !/^[a-z]+:.+$/i.test(token)).map((word) => word.toLowerCase()), qualifiers }
}

const valuesOf = (query: Query, key: string) => query.qualifiers.filter(([name]) => name === key).map(([, value]) => value)

const matches = (query: Query, repo: FakeRepo, issue: FakeIssue): boolean => {
  const repos = valuesOf(query, "repo")
  if (repos.length > 0 && !repos.includes(fullName(repo).toLowerCase())) return false
  const owners = [...valuesOf(query, "org"), ...valuesOf(query, "user")]
  if (owners.length > 0 && !owners.includes(repo.owner.login.toLowerCase())) return false
  for (const value of valuesOf(query, "is")) {
    if (value === "issue" && issue.pull !== null) return false
    if ((value === "pr" || value === "pull-request") && issue.pull === null) return false
    if ((value === "open" || value === "closed") && issue.state !== value) return false
  }
  if (valuesOf(query, "state").some((value) => value !== issue.state)) return false
  const labels = issue.labels.map((label) => label.toLowerCase())
  if (valuesOf(query, "label").some((value) => !labels.includes(value))) return false
  const text = `${issue.title}\n${issue.body}`.toLowerCase()
  return query.words.every((word) => text.includes(word))
}

export const searchIssues = async (state: FakeGitHubState, caller: Caller, request: Request) => {
  if (caller._tag !== "Installation") return failure(401, "Requires authentication")
  const url = new URL(request.url)
  const q = url.searchParams.get("q") ?? ""
  if (q.trim().length === 0) return validationFailed([{ resource: "Search", field: "q", code: "missing" }])
  const query = parse(q)
  const account = caller.installation.account.login.toLowerCase()
  const perPage = Number(url.searchParams.get("per_page") ?? "30")
  const found = [...state.repos.values()]
    .filter((repo) => !repo.private || repo.owner.login.toLowerCase() === account)
    .flatMap((repo) => repo.issues.filter((issue) => matches(query, repo, issue)).map((issue) => issueView(state, repo, issue)))
  return json(200, { total_count: found.length, incomplete_results: false, items: found.slice(0, perPage) })
}
