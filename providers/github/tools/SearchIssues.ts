/**
 * `search_issues`: GitHub's issue and pull request search, kept inside what the publication
 * may see. An installation token can also search every public repository on GitHub, so the
 * query is always scoped: to the `repo` given, else to the publication's `repo` filter, else to
 * the installation's account (`org:` or `user:`). Qualifiers that would widen the scope
 * (`repo:`, `org:`, `user:`, `owner:`) are refused in the free text.
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import type { PublicationContext } from "../../../kernel/provider/PublicationContext.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { REPO_FILTER } from "../publication/Filters.ts"
import { PerPage, Repo, repoPath } from "./Inputs.ts"
import { RestIssue, repoOfUrl, toIssueResult } from "./Shapes.ts"

export const Input = Schema.Struct({
  query: Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(256)).annotate({
    description: "Words and qualifiers, such as \"login bug label:bug\" (repo:, org:, user: and owner: are not allowed; use repo)"
  }),
  repo: Schema.optionalKey(Repo),
  type: Schema.optionalKey(Schema.Literals(["issue", "pr"]).annotate({ description: "Only issues, or only pull requests" })),
  state: Schema.optionalKey(Schema.Literals(["open", "closed"])),
  perPage: Schema.optionalKey(PerPage)
})
type Input = typeof Input.Type

const Results = Schema.Struct({
  total_count: Schema.Number,
  incomplete_results: Schema.Boolean,
  items: Schema.Array(RestIssue)
})

const scopeOf = (input: Input, context: PublicationContext): Effect.Effect<string, ToolError> => {
  if (input.repo !== undefined) return Effect.as(repoPath(input.repo, context), `repo:${input.repo}`)
  const repos = context.publication.filters[REPO_FILTER] ?? []
  if (repos.length > 0) return Effect.succeed(repos.map((repo) => `repo:${repo}`).join(" "))
  const account = context.installation.metadata["accountLogin"]
  if (account === undefined || account.length === 0) {
    return Effect.fail(new ToolError({ reason: "InvalidInput", message: "Name the repository to search in (repo)" }))
  }
  return Effect.succeed(`${context.installation.metadata["accountType"] === "Organization" ? "org" : "user"}:${account}`)
}

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "search_issues",
    title: "Search GitHub issues and pull requests",
    description: "Searches issues and pull requests with GitHub's search syntax, in one repository or in all the " +
      "repositories this publication may see, best match first. Bodies are left out; read one with get_issue.",
    input: Input,
    scope: "search:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("GitHubTools.searchIssues")(function*(input, context) {
      // Anywhere, quoted or negated too: a qualifier GitHub would honour must not widen the scope.
      if (/(^|[^\w])(repo|org|user|owner):/i.test(input.query)) {
        return yield* new ToolError({
          reason: "InvalidInput",
          message: "repo:, org:, user: and owner: qualifiers are not allowed in the query; name the repository with repo"
        })
      }
      const scope = yield* scopeOf(input, context)
      const q = [
        input.query,
        scope,
        input.type === undefined ? "" : `is:${input.type}`,
        input.state === undefined ? "" : `state:${input.state}`
      ].filter((part) => part.length > 0).join(" ")
      const results = yield* client.json(
        {
          method: "GET",
          path: "/search/issues",
          query: { q, per_page: String(input.perPage ?? 30) },
          what: `search issues for "${input.query}"`
        },
        Results,
        context
      )
      return {
        query: q,
        totalCount: results.total_count,
        incomplete: results.incomplete_results,
        items: results.items.map((issue) => {
          const { body: _body, ...summary } = toIssueResult(issue)
          return { repo: repoOfUrl(issue.repository_url), ...summary }
        })
      }
    })
  })
