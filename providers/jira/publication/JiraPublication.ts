/**
 * What a workspace owner chooses when publishing an agent on Jira.
 *
 * Scopes follow what an owner decides to let an agent do, one resource and verb each. Reading the
 * issue the agent was pointed at (`issues:read`) is apart from browsing the whole site
 * (`issues:search`); reassigning work (`issues:assign`) and moving it through the workflow
 * (`issues:transition`) are apart from editing fields, because teams guard them differently.
 *
 * Granularities: an issue session is keyed by the issue's id (`jira:issue:<id>`: the id survives
 * a move to another project, the key does not), so an assignment and later comments share it; a
 * workspace session by site (`jira:site:<host>`). The `project` filter takes keys or ids.
 */
import type { FilterDefinition, ScopeDefinition } from "../../../kernel/provider/Provider.ts"
import { type FilterCheck, matchesAny } from "../../../kernel/provider/Routing.ts"
import type { Issue } from "../webhook/Payloads.ts"

export const scopes: ReadonlyArray<ScopeDefinition> = [
  { name: "issues:read", description: "Read an issue (summary, description, status, assignee, labels, newest comments) and its possible transitions" },
  { name: "issues:search", description: "Search the site's issues with JQL" },
  { name: "issues:write", description: "Create issues and edit their summary, description, priority, labels and due date" },
  { name: "issues:assign", description: "Assign issues to people (or to the agent) and unassign them" },
  { name: "issues:transition", description: "Move issues through their workflow to another status" },
  { name: "comments:write", description: "Post comments on issues as the agent's account" },
  { name: "labels:write", description: "Add labels to issues" }
]

export const granularities = ["issue", "workspace"] as const

export const PROJECT_FILTER = "project"

export const filters: ReadonlyArray<FilterDefinition> = [
  { key: PROJECT_FILTER, description: "Only issues of these projects (keys such as ENG, or project ids)" }
]

/** `ENG` from `ENG-42`, for payloads that leave the project out (comment events often do). */
export const projectKeyOf = (issue: Issue): string => issue.fields?.project?.key ?? issue.key.replace(/-\d+$/, "")

export const projectFilter = (issue: Issue): FilterCheck => ({
  key: PROJECT_FILTER,
  admits: (wanted) => matchesAny(wanted, projectKeyOf(issue), issue.fields?.project?.id),
  outside: `issue ${issue.key} is in project ${projectKeyOf(issue)}, outside this publication's project filter`
})

export const sessionKeys = (site: string, issue: Issue) => ({ issue: `jira:issue:${issue.id}`, workspace: `jira:site:${site}` })
