/**
 * The Linear tools and the publication scopes they sit behind. A tool is one file under
 * `tools/` exporting `make(client)`; adding one is a new file plus a line in `toolFactories`
 * (and a scope below if it needs a new one).
 *
 * Scopes follow what a workspace owner decides to let an agent do, one resource and verb each.
 * `issues:read` (one issue the agent is pointed at) and `issues:search` (browsing the whole
 * workspace) are separate on purpose: an agent answering on one issue does not need the rest.
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
import type { ScopeDefinition } from "../../kernel/provider/Provider.ts"
import type { Tool } from "../../kernel/provider/Tool.ts"
import type { LinearClient } from "./LinearClient.ts"
import * as CreateAgentActivity from "./tools/CreateAgentActivity.ts"
import * as CreateComment from "./tools/CreateComment.ts"
import * as CreateIssue from "./tools/CreateIssue.ts"
import * as CreateSubIssue from "./tools/CreateSubIssue.ts"
import * as GetIssue from "./tools/GetIssue.ts"
import * as Labels from "./tools/Labels.ts"
import * as ListComments from "./tools/ListComments.ts"
import * as ListTeams from "./tools/ListTeams.ts"
import * as MoveIssue from "./tools/MoveIssue.ts"
import * as SearchIssues from "./tools/SearchIssues.ts"
import * as UpdateIssue from "./tools/UpdateIssue.ts"

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

const toolFactories: ReadonlyArray<(client: LinearClient) => Tool> = [
  GetIssue.make,
  CreateComment.make,
  SearchIssues.make,
  CreateIssue.make,
  UpdateIssue.make,
  MoveIssue.make,
  CreateSubIssue.make,
  ListComments.make,
  Labels.makeAdd,
  Labels.makeRemove,
  ListTeams.make,
  CreateAgentActivity.make
]

export const make = (client: LinearClient): ReadonlyArray<Tool> => toolFactories.map((factory) => factory(client))
