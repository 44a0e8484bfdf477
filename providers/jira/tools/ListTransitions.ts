/** `list_transitions`: the statuses an issue can move to now, and the transitions that get there. */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { JiraClient } from "../client/JiraClient.ts"
import { Issue } from "./Inputs.ts"
import { describeTransition, transitionsOf } from "./Transitions.ts"

export const Input = Schema.Struct({ issue: Issue })

export const make = (client: JiraClient): Tool =>
  defineTool({
    name: "list_transitions",
    title: "List a Jira issue's transitions",
    description: "Lists the workflow transitions a Jira issue can take now, with the status each leads to.",
    input: Input,
    scope: "issues:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("JiraTools.listTransitions")(function*(input, context) {
      const transitions = yield* transitionsOf(client, yield* client.access(context), input.issue)
      return { issue: input.issue, transitions: transitions.map(describeTransition) }
    })
  })
