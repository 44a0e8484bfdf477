/**
 * `create_issue`: files a new issue in a team (by key, name or id) with an optional
 * description, priority, assignee and due date. The agent is the creator (the install used
 * `actor=app`). `create_sub_issue` reuses the mutation and the field handling here.
 */
import { Effect, type Redacted, Schema } from "effect"
import type { HttpClient } from "effect/http"
import type { ToolError } from "../../../kernel/domain/Errors.ts"
import type { Installation } from "../../../kernel/domain/Installation.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as LinearClient from "../LinearClient.ts"
import { Assignee, Description, DueDate, Priority, Team, Title } from "./Inputs.ts"
import { changedIssue, IssuePayload, type IssueResult, issueSelection } from "./IssueShape.ts"
import { resolveTeam, resolveUser } from "./Lookups.ts"

export const IssueCreate = LinearClient.operation(
  "CreateIssue",
  `mutation CreateIssue($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { ${issueSelection(true)} } }
}`,
  Schema.Struct({ issueCreate: IssuePayload })
)

/** The optional fields an agent can set on a new issue. */
export const newIssueFields = {
  description: Schema.optionalKey(Description),
  priority: Schema.optionalKey(Priority),
  assignee: Schema.optionalKey(Assignee),
  dueDate: Schema.optionalKey(DueDate)
}

export interface NewIssue {
  readonly title: string
  readonly description?: string | undefined
  readonly priority?: number | undefined
  readonly assignee?: string | undefined
  readonly dueDate?: string | undefined
}

/** Creates the issue in `teamId`, under `parentId` when given. */
export const createIssue = (
  client: LinearClient.LinearClient,
  context: { readonly accessToken: Redacted.Redacted<string>; readonly installation: Installation },
  teamId: string,
  fields: NewIssue,
  parentId?: string
): Effect.Effect<IssueResult, ToolError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const assigneeId = fields.assignee === undefined
      ? undefined
      : yield* resolveUser(client, context.accessToken, context.installation, fields.assignee)
    const input = {
      teamId,
      title: fields.title,
      ...(fields.description === undefined ? {} : { description: fields.description }),
      ...(fields.priority === undefined ? {} : { priority: fields.priority }),
      ...(assigneeId === undefined ? {} : { assigneeId }),
      ...(fields.dueDate === undefined ? {} : { dueDate: fields.dueDate }),
      ...(parentId === undefined ? {} : { parentId })
    }
    const data = yield* client.execute(IssueCreate, { input }, context.accessToken)
    return yield* changedIssue(data.issueCreate, `create the issue "${fields.title}"`)
  })

export const Input = Schema.Struct({ team: Team, title: Title, ...newIssueFields })

export const make = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "create_issue",
    title: "Create a Linear issue",
    description: "Creates a Linear issue in a team, with optional description (Markdown), priority, assignee and due date. " +
      "Answers the new issue, with its identifier and URL.",
    input: Input,
    scope: "issues:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("LinearTools.createIssue")(function*(input, context) {
      const team = yield* resolveTeam(client, context.accessToken, input.team)
      return yield* createIssue(client, context, team.id, input)
    })
  })
