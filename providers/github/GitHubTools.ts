/**
 * The GitHub tools (`mcp_github_<name>`) and the publication scopes they sit behind; each
 * scope's App permissions are in `GitHubScopes.ts`. A tool is one file under `tools/` exporting
 * `make(client)`; adding one is a new file plus a line here.
 *
 * Every tool names its repository (`owner/name`) and is held to the publication's `repo`
 * filter, so an agent published for one repository cannot act on another the app can see.
 */
import type { Tool } from "../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import * as AddLabels from "./tools/AddLabels.ts"
import * as CreateBranch from "./tools/CreateBranch.ts"
import * as CreateComment from "./tools/CreateComment.ts"
import * as CreateIssue from "./tools/CreateIssue.ts"
import * as CreateOrUpdateFile from "./tools/CreateOrUpdateFile.ts"
import * as CreatePullRequest from "./tools/CreatePullRequest.ts"
import * as GetFileContents from "./tools/GetFileContents.ts"
import * as GetIssue from "./tools/GetIssue.ts"
import * as GetPullRequest from "./tools/GetPullRequest.ts"
import * as GetPullRequestDiff from "./tools/GetPullRequestDiff.ts"
import * as ListComments from "./tools/ListComments.ts"
import * as ListPullRequestFiles from "./tools/ListPullRequestFiles.ts"
import * as RemoveLabel from "./tools/RemoveLabel.ts"
import * as SearchIssues from "./tools/SearchIssues.ts"
import * as SubmitReview from "./tools/SubmitReview.ts"
import * as UpdateIssue from "./tools/UpdateIssue.ts"

export { scopeDefinitions as scopes } from "./GitHubScopes.ts"

const toolFactories: ReadonlyArray<(client: GitHubClient) => Tool> = [
  GetIssue.make,
  GetPullRequest.make,
  ListComments.make,
  CreateComment.make,
  UpdateIssue.make,
  AddLabels.make,
  RemoveLabel.make,
  CreateIssue.make,
  ListPullRequestFiles.make,
  GetPullRequestDiff.make,
  GetFileContents.make,
  CreateBranch.make,
  CreateOrUpdateFile.make,
  CreatePullRequest.make,
  SubmitReview.make,
  SearchIssues.make
]

export const make = (client: GitHubClient): ReadonlyArray<Tool> => toolFactories.map((factory) => factory(client))
