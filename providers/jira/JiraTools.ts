/**
 * The Jira tools and the publication scopes they sit behind. A tool is one file under `tools/`
 * exporting `make(client)`; adding one is a new file plus a line in `toolFactories` (and a scope
 * below if it needs a new one).
 *
 * Scopes follow what a workspace owner decides to let an agent do, one resource and verb each.
 * Reading the issue the agent was pointed at (`issues:read`) is apart from browsing the whole
 * site (`issues:search`); reassigning work (`issues:assign`) and moving it through the workflow
 * (`issues:transition`) are apart from editing fields, because teams guard them differently.
 *
 * | tool | scope |
 * |---|---|
 * | get_issue, list_transitions | issues:read |
 * | search_issues | issues:search |
 * | create_issue, update_issue | issues:write |
 * | assign_issue | issues:assign |
 * | update_issue_status | issues:transition |
 * | add_comment | comments:write |
 * | add_label | labels:write |
 */
import type { ScopeDefinition } from "../../kernel/provider/Provider.ts"
import type { Tool } from "../../kernel/provider/Tool.ts"
import type { JiraClient } from "./JiraClient.ts"
import * as AddComment from "./tools/AddComment.ts"
import * as AddLabel from "./tools/AddLabel.ts"
import * as AssignIssue from "./tools/AssignIssue.ts"
import * as CreateIssue from "./tools/CreateIssue.ts"
import * as GetIssue from "./tools/GetIssue.ts"
import * as ListTransitions from "./tools/ListTransitions.ts"
import * as SearchIssues from "./tools/SearchIssues.ts"
import * as UpdateIssue from "./tools/UpdateIssue.ts"
import * as UpdateIssueStatus from "./tools/UpdateIssueStatus.ts"

export const scopes: ReadonlyArray<ScopeDefinition> = [
  { name: "issues:read", description: "Read an issue (summary, description, status, assignee, labels, newest comments) and its possible transitions" },
  { name: "issues:search", description: "Search the site's issues with JQL" },
  { name: "issues:write", description: "Create issues and edit their summary, description, priority, labels and due date" },
  { name: "issues:assign", description: "Assign issues to people (or to the agent) and unassign them" },
  { name: "issues:transition", description: "Move issues through their workflow to another status" },
  { name: "comments:write", description: "Post comments on issues as the agent's account" },
  { name: "labels:write", description: "Add labels to issues" }
]

const toolFactories: ReadonlyArray<(client: JiraClient) => Tool> = [
  GetIssue.make,
  SearchIssues.make,
  CreateIssue.make,
  AddComment.make,
  UpdateIssue.make,
  AssignIssue.make,
  ListTransitions.make,
  UpdateIssueStatus.make,
  AddLabel.make
]

export const make = (client: JiraClient): ReadonlyArray<Tool> => toolFactories.map((factory) => factory(client))
