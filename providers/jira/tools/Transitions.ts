/**
 * Jira moves an issue between statuses through its workflow's transitions; which ones exist
 * depends on the issue's current status (and the account's permissions), so they are read per
 * issue. Shared by `list_transitions` and `update_issue_status`.
 */
import { Effect, Schema } from "effect"
import type { HttpClient } from "effect/http"
import type { ToolError } from "../../../kernel/domain/Errors.ts"
import type { JiraAccess, JiraClient } from "../client/JiraClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"

export const Transition = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  to: Schema.Struct({
    id: nullable(Schema.String),
    name: Schema.String,
    statusCategory: nullable(Schema.Struct({ name: nullable(Schema.String) }))
  })
})
export type Transition = typeof Transition.Type

const Transitions = Schema.Struct({ transitions: Schema.Array(Transition) })

export const transitionsOf = (
  client: JiraClient,
  access: JiraAccess,
  issue: string
): Effect.Effect<ReadonlyArray<Transition>, ToolError, HttpClient.HttpClient> =>
  Effect.map(
    client.request(
      access,
      { method: "GET", path: `/rest/api/3/issue/${encodeURIComponent(issue)}/transitions`, what: `list the transitions of ${issue}` },
      Transitions
    ),
    (answer) => answer.transitions
  )

export const describeTransition = (transition: Transition) => ({
  id: transition.id,
  name: transition.name,
  toStatus: transition.to.name,
  toCategory: transition.to.statusCategory?.name ?? null
})
