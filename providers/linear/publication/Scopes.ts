/**
 * The publication scopes the Linear tools sit behind. Scopes follow what a workspace owner
 * decides to let an agent do, one resource and verb each. `issues:read` (one issue the agent is
 * pointed at) and `issues:search` (browsing the whole workspace) are separate on purpose: an
 * agent answering on one issue does not need the rest.
 *
 * | tool | scope |
 * |---|---|
 * | get_issue | issues:read |
 * | search_issues | issues:search |
 * | create_issue, update_issue, move_issue, create_sub_issue | issues:write |
 * | list_comments | comments:read |
 * | create_comment | comments:write |
 * | add_label, remove_label | labels:write |
 * | list_teams | teams:read |
 * | create_agent_activity | activities:write |
 */
import type { ScopeDefinition } from "../../../kernel/provider/Provider.ts"

export const scopes: ReadonlyArray<ScopeDefinition> = [
  { name: "issues:read", description: "Read an issue: title, description, state, team, assignee, labels, due date" },
  { name: "issues:search", description: "Search the workspace's issues by team, state, assignee, label and text" },
  { name: "issues:write", description: "Create issues and sub-issues, edit them, and move them between workflow states" },
  { name: "comments:read", description: "Read the comments on an issue" },
  { name: "comments:write", description: "Post comments on issues as the agent" },
  { name: "labels:write", description: "Add and remove existing labels on issues" },
  { name: "teams:read", description: "List the workspace's teams and their workflow states" },
  { name: "activities:write", description: "Post thoughts, actions, responses, errors and questions in agent sessions" }
]
