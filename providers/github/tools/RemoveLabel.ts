/** `remove_label`: takes one label off an issue or pull request. */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { ItemNumber, LabelName, Repo, repoPath } from "./Inputs.ts"
import { labelNames, RestLabel } from "./Shapes.ts"

export const Input = Schema.Struct({ repo: Repo, number: ItemNumber, label: LabelName })

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "remove_label",
    title: "Remove a label from a GitHub issue or pull request",
    description: "Removes one label from an issue or pull request. Answers the labels it still has; NotFound when " +
      "it did not have that label.",
    input: Input,
    scope: "issues:write",
    annotations: { readOnly: false, destructive: true, idempotent: true },
    execute: Effect.fn("GitHubTools.removeLabel")(function*(input, context) {
      const repo = yield* repoPath(input.repo, context)
      const labels = yield* client.json(
        {
          method: "DELETE",
          path: `${repo}/issues/${input.number}/labels/${encodeURIComponent(input.label)}`,
          what: `remove the label "${input.label}" from ${input.repo}#${input.number}`
        },
        Schema.Array(RestLabel),
        context
      )
      return { repo: input.repo, number: input.number, labels: labelNames(labels) }
    })
  })
