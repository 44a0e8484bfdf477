/**
 * `search_issues`: finds issues with Linear's filter language, newest first. Filters combine
 * (all must hold): team (key, name or id), state (a name such as "In Progress", or a type such
 * as "started"), assignee ("me" for the agent, "none" for unassigned, else email, handle or
 * name), label name, and text found in the title or description.
 */
import { Effect, Option, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as LinearClient from "../LinearClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { Assignee, First, LabelName, StateName, Team } from "./Inputs.ts"
import { IssueFields, issueSelection, toIssueResult } from "./IssueShape.ts"
import { resolveTeam } from "./Lookups.ts"

export const Input = Schema.Struct({
  team: Schema.optionalKey(Team),
  state: Schema.optionalKey(StateName.annotate({ description: "A state name (In Progress) or type (started, completed ...)" })),
  assignee: Schema.optionalKey(Assignee.annotate({
    description: "\"me\" (the agent), \"none\" (unassigned), or an email, display name or full name"
  })),
  label: Schema.optionalKey(LabelName),
  text: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(200)).annotate({
    description: "Words found in the title or description (case-insensitive)"
  })),
  first: Schema.optionalKey(First)
})
type Input = typeof Input.Type

export const SearchIssues = LinearClient.operation(
  "SearchIssues",
  `query SearchIssues($filter: IssueFilter, $first: Int) {
  issues(filter: $filter, first: $first, orderBy: updatedAt) {
    nodes { ${issueSelection(false)} }
    pageInfo { hasNextPage }
  }
}`,
  Schema.Struct({
    issues: Schema.Struct({
      nodes: Schema.Array(IssueFields),
      pageInfo: nullable(Schema.Struct({ hasNextPage: Schema.Boolean }))
    })
  })
)

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const assigneeFilter = (assignee: string): Schema.Json => {
  const wanted = assignee.toLowerCase()
  if (wanted === "me") return { isMe: { eq: true } }
  if (wanted === "none" || wanted === "unassigned") return { null: true }
  if (UUID.test(assignee)) return { id: { eq: assignee } }
  return {
    or: [{ email: { eqIgnoreCase: assignee } }, { displayName: { eqIgnoreCase: assignee } }, { name: { eqIgnoreCase: assignee } }]
  }
}

const filterOf = (input: Input, teamId: Option.Option<string>): Array<Schema.Json> => [
  ...Option.toArray(Option.map(teamId, (id): Schema.Json => ({ team: { id: { eq: id } } }))),
  ...(input.state === undefined
    ? []
    : [{ state: { or: [{ name: { eqIgnoreCase: input.state } }, { type: { eq: input.state.toLowerCase() } }] } }]),
  ...(input.assignee === undefined ? [] : [{ assignee: assigneeFilter(input.assignee) }]),
  ...(input.label === undefined ? [] : [{ labels: { some: { name: { eqIgnoreCase: input.label } } } }]),
  ...(input.text === undefined
    ? []
    : [{ or: [{ title: { containsIgnoreCase: input.text } }, { description: { containsIgnoreCase: input.text } }] }])
]

export const make = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "search_issues",
    title: "Search Linear issues",
    description: "Finds Linear issues by team, state, assignee, label and text (all optional, combined with AND), " +
      "most recently updated first. Descriptions are left out; read one with get_issue.",
    input: Input,
    scope: "issues:search",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("LinearTools.searchIssues")(function*(input, context) {
      const teamId = input.team === undefined
        ? Option.none()
        : Option.some((yield* resolveTeam(client, context.accessToken, input.team)).id)
      const parts = filterOf(input, teamId)
      const variables = {
        first: input.first ?? 25,
        ...(parts.length === 0 ? {} : { filter: { and: parts } })
      }
      const data = yield* client.execute(SearchIssues, variables, context.accessToken)
      return {
        issues: data.issues.nodes.map((issue) => {
          const { description: _left, ...summary } = toIssueResult(issue)
          return summary
        }),
        hasMore: data.issues.pageInfo?.hasNextPage ?? false
      }
    })
  })
