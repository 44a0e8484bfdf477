/**
 * The Jira tools. A tool is one file under `tools/` exporting `make(client)`: its input Schema,
 * the publication scope it sits behind (`publication/JiraPublication.ts` lists them) and its
 * executor. Adding one is a new file plus a line in `toolFactories`.
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
import type { Tool } from "../../../kernel/provider/Tool.ts"
import type { JiraClient } from "../client/JiraClient.ts"
import * as AddComment from "./AddComment.ts"
import * as AddLabel from "./AddLabel.ts"
import * as AssignIssue from "./AssignIssue.ts"
import * as CreateIssue from "./CreateIssue.ts"
import * as GetIssue from "./GetIssue.ts"
import * as ListTransitions from "./ListTransitions.ts"
import * as SearchIssues from "./SearchIssues.ts"
import * as UpdateIssue from "./UpdateIssue.ts"
import * as UpdateIssueStatus from "./UpdateIssueStatus.ts"

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
