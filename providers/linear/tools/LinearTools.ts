/**
 * The Linear tools. A tool is one file in this folder exporting `make(client)`; adding one is a
 * new file plus a line in `toolFactories` (and a scope in `publication/Scopes.ts` if it needs a
 * new one).
 */
import type { Tool } from "../../../kernel/provider/Tool.ts"
import type { LinearClient } from "../LinearClient.ts"
import * as CreateAgentActivity from "./CreateAgentActivity.ts"
import * as CreateComment from "./CreateComment.ts"
import * as CreateIssue from "./CreateIssue.ts"
import * as CreateSubIssue from "./CreateSubIssue.ts"
import * as GetIssue from "./GetIssue.ts"
import * as Labels from "./Labels.ts"
import * as ListComments from "./ListComments.ts"
import * as ListTeams from "./ListTeams.ts"
import * as MoveIssue from "./MoveIssue.ts"
import * as SearchIssues from "./SearchIssues.ts"
import * as UpdateIssue from "./UpdateIssue.ts"

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
