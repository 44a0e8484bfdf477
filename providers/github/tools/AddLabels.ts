/** `add_labels`: adds labels to an issue or pull request (GitHub creates labels that do not exist yet). */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { ItemNumber, LabelName, Repo, repoPath } from "./Inputs.ts"
import { labelNames, RestLabel } from "./Shapes.ts"

export const Input = Schema.Struct({
  repo: Repo,
  number: ItemNumber,
  labels: Schema.Array(LabelName).check(Schema.isMinLength(1), Schema.isMaxLength(100)).annotate({
    description: "Label names to add"
  })
})

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "add_labels",
    title: "Add labels to a GitHub issue or pull request",
    description: "Adds labels to an issue or pull request, keeping the ones it has. Answers the labels it has now.",
    input: Input,
    scope: "issues:write",
    annotations: { readOnly: false, destructive: false, idempotent: true },
    execute: Effect.fn("GitHubTools.addLabels")(function*(input, context) {
      const repo = yield* repoPath(input.repo, context)
      const labels = yield* client.json(
        {
          method: "POST",
          path: `${repo}/issues/${input.number}/labels`,
          body: { labels: input.labels },
          what: `label ${input.repo}#${input.number}`
        },
        Schema.Array(RestLabel),
        context
      )
      return { repo: input.repo, number: input.number, labels: labelNames(labels) }
    })
  })
