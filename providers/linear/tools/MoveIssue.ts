/**
 * `move_issue`: moves an issue to one of its team's workflow states, by name ("In Progress",
 * "Done"), the way a person drags it across the board. Names are matched case-insensitively;
 * an unknown name fails with the team's state names, so the agent can pick a real one.
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type * as LinearClient from "../LinearClient.ts"
import { IssueId, StateName } from "./Inputs.ts"
import { changedIssue } from "./IssueShape.ts"
import { issueWithTeam, stateNamed } from "./Lookups.ts"
import { IssueUpdate } from "./UpdateIssue.ts"

export const Input = Schema.Struct({ issueId: IssueId, state: StateName })

export const make = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "move_issue",
    title: "Move a Linear issue to a workflow state",
    description: "Moves a Linear issue to a workflow state of its team, by the state's name (such as In Progress " +
      "or Done). list_teams shows each team's states.",
    input: Input,
    scope: "issues:write",
    annotations: { readOnly: false, destructive: false, idempotent: true },
    execute: Effect.fn("LinearTools.moveIssue")(function*(input, context) {
      const issue = yield* issueWithTeam(client, context.accessToken, input.issueId)
      const state = yield* stateNamed(issue, input.state)
      const data = yield* client.execute(IssueUpdate, { id: issue.id, input: { stateId: state.id } }, context.accessToken)
      return yield* changedIssue(data.issueUpdate, `move ${issue.identifier} to ${state.name}`)
    })
  })
