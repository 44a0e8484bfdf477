/**
 * Input fields the GitHub tools share, named and checked the same way everywhere, and the
 * check every tool makes first: the repository must be inside the publication's `repo`
 * filter (an agent published for one repository cannot act on another the app can see).
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import type { PublicationContext } from "../../../kernel/provider/PublicationContext.ts"
import { REPO_FILTER } from "../publication/Filters.ts"

const text = (max: number) => Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(max))

export const Repo = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/u)).annotate({
  description: "The repository as owner/name, such as octo-org/widgets"
})

export const ItemNumber = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)).annotate({
  description: "The issue or pull request number"
})

export const Title = text(256).annotate({ description: "The title" })

export const Body = text(65_536).annotate({ description: "Markdown text" })

export const LabelName = text(100).annotate({ description: "A label's name, such as bug" })

export const Login = text(39).annotate({ description: "A GitHub login, such as octocat" })

export const BranchName = text(255).check(Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._\/-]*$/u)).annotate({
  description: "A branch name, such as agent/fix-login (letters, digits, . _ - /)"
})

export const FilePath = text(1024).check(Schema.isPattern(/^[^\/]/u)).annotate({
  description: "A path in the repository, such as src/app.ts (no leading slash)"
})

export const GitRef = text(255).annotate({ description: "A branch, tag or commit SHA; default: the default branch" })

export const PerPage = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 })).annotate({
  description: "How many per page, 1 to 100 (default 30)"
})

export const Page = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)).annotate({ description: "Which page, from 1" })

/** `/repos/<owner>/<name>` for a repository the publication may act on. */
export const repoPath = (repo: string, context: PublicationContext): Effect.Effect<string, ToolError> => {
  const allowed = (context.publication.filters[REPO_FILTER] ?? []).map((entry) => entry.toLowerCase())
  if (allowed.length > 0 && !allowed.includes(repo.toLowerCase())) {
    return Effect.fail(new ToolError({
      reason: "Forbidden",
      message: `${repo} is outside this publication's repositories (${allowed.join(", ")})`
    }))
  }
  const [owner = "", name = ""] = repo.split("/")
  return Effect.succeed(`/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`)
}

/** A path in the repository, each segment encoded, slashes kept. */
export const encodePath = (path: string): string => path.split("/").map(encodeURIComponent).join("/")

export const pageQuery = (input: { readonly perPage?: number | undefined; readonly page?: number | undefined }) => ({
  per_page: String(input.perPage ?? 30),
  page: String(input.page ?? 1)
})
