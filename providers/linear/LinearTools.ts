/**
 * The Linear tools and the publication scopes they sit behind. A tool is one file under
 * `tools/` exporting `make(client)`; adding one is a new file plus a line in `toolFactories`
 * (and a scope below if it needs a new one).
 */
import type { ScopeDefinition } from "../../kernel/provider/Provider.ts"
import type { Tool } from "../../kernel/provider/Tool.ts"
import type { LinearClient } from "./LinearClient.ts"
import * as CreateComment from "./tools/CreateComment.ts"
import * as GetIssue from "./tools/GetIssue.ts"

export const scopes: ReadonlyArray<ScopeDefinition> = [
  { name: "issues:read", description: "Read issues: title, description, state, team, assignee, labels" },
  { name: "issues:write", description: "Create and update issues (reserved for the tools that change issues)" },
  { name: "comments:write", description: "Post comments on issues as the agent" }
]

const toolFactories: ReadonlyArray<(client: LinearClient) => Tool> = [GetIssue.make, CreateComment.make]

export const make = (client: LinearClient): ReadonlyArray<Tool> => toolFactories.map((factory) => factory(client))
