/**
 * The fake's query root fields: `viewer`, `organization`, `issue`, `issues`, `team`, `teams`,
 * `workflowStates`, `issueLabels`, `users`, `agentSession` and `agentActivity`. Arguments arrive already bound
 * from the request's variables or literals (see `FakeLinearGraphQL.ts`); lists are connections
 * (`{ nodes, pageInfo }`) filtered with Linear's filter language and cut at `first` (default 50).
 */
import { Option, Schema } from "effect"
import { findIssue } from "./FakeLinearData.ts"
import { data, failure, type FieldResult, invalidInput, notFound } from "./FakeLinearErrors.ts"
import { matches } from "./FakeLinearFilter.ts"
import type { FakeAccessToken, FakeIssue, FakeLinearState } from "./FakeLinearState.ts"
import { activityView, connection, issueView, labelView, sessionView, stateView, teamView, userView } from "./FakeLinearViews.ts"

export interface ResolveContext {
  readonly state: FakeLinearState
  readonly token: FakeAccessToken
  readonly args: Readonly<Record<string, unknown>>
}

export type Resolver = (context: ResolveContext) => FieldResult

const decodeString = Schema.decodeUnknownOption(Schema.String)
const decodeFirst = Schema.decodeUnknownOption(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 250 })))

/** Linear caps a page at 250 and defaults to 50. */
const firstOf = (args: ResolveContext["args"]): Option.Option<number> =>
  args["first"] === undefined || args["first"] === null ? Option.some(50) : decodeFirst(args["first"])

const listed = (context: ResolveContext, nodes: ReadonlyArray<unknown>): FieldResult =>
  Option.match(firstOf(context.args), {
    onNone: () => failure(invalidInput("first must be an integer between 1 and 250")),
    onSome: (first) => {
      const filter = context.args["filter"]
      const viewerId = context.state.appUser.id
      return data(connection(nodes.filter((node) => matches(node, filter, { viewerId })), first))
    }
  })

const withId = (context: ResolveContext, entity: string, find: (id: string) => FieldResult): FieldResult =>
  Option.match(decodeString(context.args["id"]), {
    onNone: () => failure(invalidInput(`${entity} needs an id`)),
    onSome: find
  })

/** Newest first by `orderBy` (Linear's `PaginationOrderBy`: createdAt, the default, or updatedAt). */
const newestBy = (orderBy: unknown) => (a: FakeIssue, b: FakeIssue) =>
  orderBy === "updatedAt" ? b.updatedAt.localeCompare(a.updatedAt) : b.createdAt.localeCompare(a.createdAt)

export const queries: ReadonlyMap<string, Resolver> = new Map<string, Resolver>([
  ["viewer", ({ state }) => data(userView(state.appUser, state.appUser.id))],
  ["organization", ({ state }) => data({ ...state.organization })],
  [
    "issue",
    (context) =>
      withId(context, "issue", (id) => {
        const issue = findIssue(context.state, id)
        return issue === undefined ? failure(notFound("Issue")) : data(issueView(context.state, issue))
      })
  ],
  [
    "issues",
    (context) =>
      listed(
        context,
        [...context.state.issues.values()].sort(newestBy(context.args["orderBy"])).map((issue) => issueView(context.state, issue))
      )
  ],
  [
    "team",
    (context) =>
      withId(context, "team", (id) => {
        const team = context.state.teams.get(id) ??
          [...context.state.teams.values()].find((candidate) => candidate.key.toLowerCase() === id.toLowerCase())
        return team === undefined ? failure(notFound("Team")) : data(teamView(context.state, team))
      })
  ],
  ["teams", (context) => listed(context, [...context.state.teams.values()].map((team) => teamView(context.state, team)))],
  ["workflowStates", (context) => listed(context, [...context.state.workflowStates.values()].map(stateView))],
  [
    "issueLabels",
    (context) => listed(context, [...context.state.labels.values()].map((label) => labelView(context.state, label)))
  ],
  [
    "users",
    (context) => listed(context, [...context.state.users.values()].map((user) => userView(user, context.state.appUser.id)))
  ],
  [
    "agentSession",
    (context) =>
      withId(context, "agentSession", (id) => {
        const session = context.state.agentSessions.get(id)
        return session === undefined ? failure(notFound("AgentSession")) : data(sessionView(context.state, session))
      })
  ],
  [
    "agentActivity",
    (context) =>
      withId(context, "agentActivity", (id) => {
        const activity = context.state.agentActivities.find((candidate) => candidate.id === id)
        return activity === undefined ? failure(notFound("AgentActivity")) : data(activityView(activity))
      })
  ]
])
