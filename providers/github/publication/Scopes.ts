/**
 * The publication scopes of the GitHub tools and the GitHub App permissions each one needs.
 * The app manifest asks for exactly the union of these (plus `metadata: read`, which every App
 * has), so a tool never needs a permission the app was not created with.
 *
 * | scope | tools | App permissions |
 * |---|---|---|
 * | issues:read | get_issue, list_comments | issues: read |
 * | issues:write | create_issue, update_issue, add_labels, remove_label | issues: write |
 * | comments:write | create_comment | issues: write |
 * | pulls:read | get_pull_request, list_pull_request_files, get_pull_request_diff | pull_requests: read |
 * | pulls:write | create_pull_request, submit_review | pull_requests: write |
 * | contents:read | get_file_contents | contents: read |
 * | contents:write | create_branch, create_or_update_file | contents: write |
 * | search:read | search_issues | issues: read, pull_requests: read |
 */
import type { ScopeDefinition } from "../../../kernel/provider/Provider.ts"

export type Access = "read" | "write"

export interface GitHubScope extends ScopeDefinition {
  readonly permissions: Readonly<Record<string, Access>>
}

export const SCOPES: ReadonlyArray<GitHubScope> = [
  { name: "issues:read", description: "Read issues and pull requests as issues, and their comments", permissions: { issues: "read" } },
  {
    name: "issues:write",
    description: "Create issues; edit title, body, state, labels and assignees of issues and pull requests",
    permissions: { issues: "write" }
  },
  { name: "comments:write", description: "Comment on issues and pull requests as the app's bot", permissions: { issues: "write" } },
  {
    name: "pulls:read",
    description: "Read pull requests: branches, merge state, changed files and the diff",
    permissions: { pull_requests: "read" }
  },
  { name: "pulls:write", description: "Open pull requests and submit reviews", permissions: { pull_requests: "write" } },
  { name: "contents:read", description: "Read files at any branch, tag or commit", permissions: { contents: "read" } },
  { name: "contents:write", description: "Create branches and commit files to them", permissions: { contents: "write" } },
  {
    name: "search:read",
    description: "Search issues and pull requests in the repositories the app is installed on",
    permissions: { issues: "read", pull_requests: "read" }
  }
]

export const scopeDefinitions: ReadonlyArray<ScopeDefinition> = SCOPES.map(({ description, name }) => ({ name, description }))

/** The strongest access any scope needs, per permission: what the App must be granted. */
export const requiredPermissions = (): Readonly<Record<string, Access>> => {
  const wanted: Record<string, Access> = { metadata: "read" }
  for (const scope of SCOPES) {
    for (const [permission, access] of Object.entries(scope.permissions)) {
      if (wanted[permission] !== "write") wanted[permission] = access
    }
  }
  return wanted
}
