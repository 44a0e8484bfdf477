/**
 * The GitHub tools (`mcp_github_<name>`); the publication scopes they sit behind, and each
 * scope's App permissions, are in `publication/Scopes.ts`. A tool is one file in this folder
 * exporting `make(client)`; adding one is a new file plus a line here.
 *
 * Every tool names its repository (`owner/name`) and is held to the publication's `repo`
 * filter, so an agent published for one repository cannot act on another the app can see.
 */
import type { Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import * as AddLabels from "./AddLabels.ts"
import * as CreateBranch from "./CreateBranch.ts"
import * as CreateComment from "./CreateComment.ts"
import * as CreateIssue from "./CreateIssue.ts"
import * as CreateOrUpdateFile from "./CreateOrUpdateFile.ts"
import * as CreatePullRequest from "./CreatePullRequest.ts"
import * as GetFileContents from "./GetFileContents.ts"
import * as GetIssue from "./GetIssue.ts"
import * as GetPullRequest from "./GetPullRequest.ts"
import * as GetPullRequestDiff from "./GetPullRequestDiff.ts"
import * as ListComments from "./ListComments.ts"
import * as ListPullRequestFiles from "./ListPullRequestFiles.ts"
import * as RemoveLabel from "./RemoveLabel.ts"
import * as SearchIssues from "./SearchIssues.ts"
import * as SubmitReview from "./SubmitReview.ts"
import * as UpdateIssue from "./UpdateIssue.ts"

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
