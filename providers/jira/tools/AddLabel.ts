/** `add_label`: adds one label to an issue, keeping the others (Jira creates unknown labels). */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { JiraClient } from "../client/JiraClient.ts"
import { Issue, Label } from "./Inputs.ts"

export const Input = Schema.Struct({ issue: Issue, label: Label })

export const make = (client: JiraClient): Tool =>
  defineTool({
    name: "add_label",
    title: "Label a Jira issue",
    description: "Adds a label to a Jira issue, keeping its other labels.",
    input: Input,
    scope: "labels:write",
    annotations: { readOnly: false, destructive: false, idempotent: true },
    execute: Effect.fn("JiraTools.addLabel")(function*(input, context) {
      yield* client.send(yield* client.access(context), {
        method: "PUT",
        path: `/rest/api/3/issue/${encodeURIComponent(input.issue)}`,
        body: { update: { labels: [{ add: input.label }] } },
        what: `label ${input.issue}`
      })
      return { issue: input.issue, label: input.label, added: true }
    })
  })
