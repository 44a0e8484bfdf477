/**
 * `add_label` and `remove_label`: label an issue by the label's name. A label is found among
 * the issue's team labels first, then the workspace labels; these tools never create labels
 * (a workspace's label set is curated by people). Adding a label the issue has, or removing one
 * it lacks, changes nothing and succeeds.
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as LinearClient from "../LinearClient.ts"
import { IssueId, LabelName } from "./Inputs.ts"
import { changedIssue, IssuePayload, issueSelection, toIssueResult } from "./IssueShape.ts"
import { GetIssue } from "./GetIssue.ts"
import { issueWithTeam, labelNamed } from "./Lookups.ts"

export const Input = Schema.Struct({ issueId: IssueId, label: LabelName })

const AddLabel = LinearClient.operation(
  "AddIssueLabel",
  `mutation AddIssueLabel($id: String!, $labelId: String!) {
  issueAddLabel(id: $id, labelId: $labelId) { success issue { ${issueSelection(true)} } }
}`,
  Schema.Struct({ issueAddLabel: IssuePayload })
)

const RemoveLabel = LinearClient.operation(
  "RemoveIssueLabel",
  `mutation RemoveIssueLabel($id: String!, $labelId: String!) {
  issueRemoveLabel(id: $id, labelId: $labelId) { success issue { ${issueSelection(true)} } }
}`,
  Schema.Struct({ issueRemoveLabel: IssuePayload })
)

export const makeAdd = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "add_label",
    title: "Add a label to a Linear issue",
    description: "Adds an existing label (by name, such as bug) to a Linear issue.",
    input: Input,
    scope: "labels:write",
    annotations: { readOnly: false, destructive: false, idempotent: true },
    execute: Effect.fn("LinearTools.addLabel")(function*(input, context) {
      const issue = yield* issueWithTeam(client, context.accessToken, input.issueId)
      const label = yield* labelNamed(client, context.accessToken, issue, input.label)
      const data = yield* client.execute(AddLabel, { id: issue.id, labelId: label.id }, context.accessToken)
      return yield* changedIssue(data.issueAddLabel, `add the label ${label.name} to ${issue.identifier}`)
    })
  })

export const makeRemove = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "remove_label",
    title: "Remove a label from a Linear issue",
    description: "Removes a label (by name) from a Linear issue; succeeds without change when the issue does not have it.",
    input: Input,
    scope: "labels:write",
    annotations: { readOnly: false, destructive: true, idempotent: true },
    execute: Effect.fn("LinearTools.removeLabel")(function*(input, context) {
      const issue = yield* issueWithTeam(client, context.accessToken, input.issueId)
      const label = issue.labels.nodes.find((candidate) => candidate.name.toLowerCase() === input.label.toLowerCase())
      if (label === undefined) {
        // Nothing to remove: answer the issue as it is, like a removal that changed nothing.
        const current = yield* client.execute(GetIssue, { id: issue.id }, context.accessToken)
        if (current.issue !== null) return toIssueResult(current.issue)
        return yield* new ToolError({ reason: "NotFound", message: `Linear has no issue ${input.issueId}` })
      }
      const data = yield* client.execute(RemoveLabel, { id: issue.id, labelId: label.id }, context.accessToken)
      return yield* changedIssue(data.issueRemoveLabel, `remove the label ${label.name} from ${issue.identifier}`)
    })
  })
