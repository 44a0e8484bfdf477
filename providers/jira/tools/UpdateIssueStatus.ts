/**
 * `update_issue_status`: moves an issue to a status by name ("In Progress", "Done"). It finds the
 * transition that leads there (by target status, else by transition name, case-insensitively);
 * an issue already in that status is left alone; a status no transition reaches is an input
 * error that lists the ones that are reachable.
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { JiraClient } from "../client/JiraClient.ts"
import { Issue, StatusName } from "./Inputs.ts"
import { transitionsOf } from "./Transitions.ts"

export const Input = Schema.Struct({ issue: Issue, status: StatusName })

const Current = Schema.Struct({ fields: Schema.Struct({ status: Schema.Struct({ name: Schema.String }) }) })

export const make = (client: JiraClient): Tool =>
  defineTool({
    name: "update_issue_status",
    title: "Move a Jira issue to a status",
    description: "Moves a Jira issue to a status by name (such as In Progress or Done) through its workflow.",
    input: Input,
    scope: "issues:transition",
    annotations: { readOnly: false, destructive: false, idempotent: true },
    execute: Effect.fn("JiraTools.updateIssueStatus")(function*(input, context) {
      const access = yield* client.access(context)
      const wanted = input.status.trim().toLowerCase()
      const transitions = yield* transitionsOf(client, access, input.issue)
      const chosen = transitions.find((transition) => transition.to.name.toLowerCase() === wanted) ??
        transitions.find((transition) => transition.name.toLowerCase() === wanted)
      if (chosen === undefined) {
        const current = yield* client.request(
          access,
          { method: "GET", path: `/rest/api/3/issue/${encodeURIComponent(input.issue)}`, query: { fields: "status" }, what: `read the status of ${input.issue}` },
          Current
        )
        if (current.fields.status.name.toLowerCase() === wanted) {
          return { issue: input.issue, status: current.fields.status.name, transition: null, changed: false }
        }
        const reachable = [...new Set(transitions.map((transition) => transition.to.name))].join(", ") || "none"
        return yield* new ToolError({
          reason: "InvalidInput",
          message: `${input.issue} (now ${current.fields.status.name}) cannot move to "${input.status}"; reachable statuses: ${reachable}`
        })
      }
      yield* client.send(access, {
        method: "POST",
        path: `/rest/api/3/issue/${encodeURIComponent(input.issue)}/transitions`,
        body: { transition: { id: chosen.id } },
        what: `move ${input.issue} to ${chosen.to.name}`
      })
      return { issue: input.issue, status: chosen.to.name, transition: chosen.name, changed: true }
    })
  })
