/** `assign_issue`: assigns an issue to someone (the agent with "me"), or unassigns it with "none". */
import { Effect, Option, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { JiraClient } from "../client/JiraClient.ts"
import { Assignee, Issue } from "./Inputs.ts"
import { resolveAssignee } from "./Users.ts"

export const Input = Schema.Struct({ issue: Issue, assignee: Assignee })

export const make = (client: JiraClient): Tool =>
  defineTool({
    name: "assign_issue",
    title: "Assign a Jira issue",
    description: "Assigns a Jira issue to a person (\"me\" is the agent) or unassigns it (\"none\").",
    input: Input,
    scope: "issues:assign",
    annotations: { readOnly: false, destructive: false, idempotent: true },
    execute: Effect.fn("JiraTools.assignIssue")(function*(input, context) {
      const access = yield* client.access(context)
      const who = yield* resolveAssignee(client, access, context, input.assignee)
      yield* client.send(access, {
        method: "PUT",
        path: `/rest/api/3/issue/${encodeURIComponent(input.issue)}/assignee`,
        body: { accountId: Option.match(who, { onNone: () => null, onSome: (person) => person.accountId }) },
        what: `assign ${input.issue}`
      })
      return {
        issue: input.issue,
        assignee: Option.match(who, { onNone: () => null, onSome: (person) => ({ accountId: person.accountId, displayName: person.displayName }) })
      }
    })
  })
