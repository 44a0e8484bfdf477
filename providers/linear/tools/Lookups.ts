/**
 * Turning the names agents use into the ids Linear's mutations need: a team from its key or
 * name, a person from an email or handle ("me" being the agent), a workflow state from its name
 * within the issue's team, a label from its name. Each miss is a `NotFound` that says what
 * exists instead, so the agent can correct itself in one step.
 */
import { Effect, Option, type Redacted, Schema } from "effect"
import type { HttpClient } from "effect/http"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import type { Installation } from "../../../kernel/domain/Installation.ts"
import * as LinearClient from "../LinearClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"

type Lookup<A> = Effect.Effect<A, ToolError, HttpClient.HttpClient>

const notFound = (message: string) => new ToolError({ reason: "NotFound", message })
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const TeamNode = Schema.Struct({ id: Schema.String, key: Schema.String, name: Schema.String })
export type TeamNode = typeof TeamNode.Type

const Teams = LinearClient.operation(
  "SwitchboardTeams",
  "query SwitchboardTeams { teams(first: 250) { nodes { id key name } } }",
  Schema.Struct({ teams: Schema.Struct({ nodes: Schema.Array(TeamNode) }) })
)

/** Workspaces have few teams: listing them beats guessing whether a string is an id or a key. */
export const resolveTeam = (client: LinearClient.LinearClient, token: Redacted.Redacted<string>, ref: string): Lookup<TeamNode> =>
  Effect.flatMap(client.execute(Teams, {}, token), ({ teams }) => {
    const found = teams.nodes.find((team) => team.id === ref || same(team.key, ref)) ??
      teams.nodes.find((team) => same(team.name, ref))
    return found === undefined
      ? Effect.fail(notFound(`No Linear team "${ref}"; teams: ${teams.nodes.map((team) => team.key).join(", ")}`))
      : Effect.succeed(found)
  })

const Users = LinearClient.operation(
  "SwitchboardUsers",
  "query SwitchboardUsers($filter: UserFilter) { users(filter: $filter, first: 5) { nodes { id name displayName email } } }",
  Schema.Struct({
    users: Schema.Struct({
      nodes: Schema.Array(Schema.Struct({
        id: Schema.String,
        name: Schema.String,
        displayName: nullable(Schema.String),
        email: nullable(Schema.String)
      }))
    })
  })
)

/** A user id for an assignee reference; an id passes through, "me" is the app user. */
export const resolveUser = (
  client: LinearClient.LinearClient,
  token: Redacted.Redacted<string>,
  installation: Installation,
  ref: string
): Lookup<string> => {
  const appUserId = installation.metadata["appUserId"]
  if (same(ref, "me") && appUserId !== undefined) return Effect.succeed(appUserId)
  if (UUID.test(ref)) return Effect.succeed(ref)
  // Typed up front: Deno's checker widens the mixed literal array into optional-undefined members.
  const clauses: Array<Schema.Json> = [
    { email: { eqIgnoreCase: ref } },
    { displayName: { eqIgnoreCase: ref } },
    { name: { eqIgnoreCase: ref } }
  ]
  const filter = { or: clauses }
  return Effect.flatMap(client.execute(Users, { filter }, token), ({ users }) => {
    const [first, second] = users.nodes
    if (first === undefined) return Effect.fail(notFound(`No Linear user matches "${ref}" (by email, display name or name)`))
    if (second !== undefined) {
      const names = users.nodes.map((user) => user.email ?? user.displayName ?? user.name).join(", ")
      return Effect.fail(new ToolError({ reason: "InvalidInput", message: `"${ref}" matches several users (${names}); use an email` }))
    }
    return Effect.succeed(first.id)
  })
}

const StateNode = Schema.Struct({ id: Schema.String, name: Schema.String, type: Schema.String, position: Schema.Number })

const IssueTeam = LinearClient.operation(
  "SwitchboardIssueTeam",
  `query SwitchboardIssueTeam($id: String!) {
  issue(id: $id) {
    id identifier
    team { id key name states { nodes { id name type position } } }
    labels { nodes { id name } }
  }
}`,
  Schema.Struct({
    issue: Schema.NullOr(Schema.Struct({
      id: Schema.String,
      identifier: Schema.String,
      team: Schema.Struct({ ...TeamNode.fields, states: Schema.Struct({ nodes: Schema.Array(StateNode) }) }),
      labels: Schema.Struct({ nodes: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String })) })
    }))
  })
)
export type IssueTeam = NonNullable<typeof IssueTeam.data.Type["issue"]>

/** An issue with its team's workflow states and its current labels. */
export const issueWithTeam = (client: LinearClient.LinearClient, token: Redacted.Redacted<string>, issueId: string): Lookup<IssueTeam> =>
  Effect.flatMap(client.execute(IssueTeam, { id: issueId }, token), ({ issue }) =>
    issue === null ? Effect.fail(notFound(`Linear has no issue ${issueId}`)) : Effect.succeed(issue))

export const stateNamed = (issue: IssueTeam, name: string): Effect.Effect<typeof StateNode.Type, ToolError> => {
  const states = [...issue.team.states.nodes].sort((a, b) => a.position - b.position)
  return Option.match(Option.fromNullishOr(states.find((state) => same(state.name, name))), {
    onNone: () =>
      Effect.fail(notFound(`Team ${issue.team.key} has no workflow state "${name}"; states: ${states.map((s) => s.name).join(", ")}`)),
    onSome: Effect.succeed
  })
}

const Labels = LinearClient.operation(
  "SwitchboardLabels",
  `query SwitchboardLabels($filter: IssueLabelFilter) {
  issueLabels(filter: $filter, first: 50) { nodes { id name team { id } } }
}`,
  Schema.Struct({
    issueLabels: Schema.Struct({
      nodes: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String, team: nullable(Schema.Struct({ id: Schema.String })) }))
    })
  })
)

/** The label usable on the issue: the team's own label first, else the workspace's. */
export const labelNamed = (
  client: LinearClient.LinearClient,
  token: Redacted.Redacted<string>,
  issue: IssueTeam,
  name: string
): Lookup<{ readonly id: string; readonly name: string }> =>
  Effect.flatMap(client.execute(Labels, { filter: { name: { eqIgnoreCase: name } } }, token), ({ issueLabels }) => {
    const usable = issueLabels.nodes.filter((label) => label.team === undefined || label.team === null || label.team.id === issue.team.id)
    const found = usable.find((label) => label.team?.id === issue.team.id) ?? usable[0]
    return found === undefined
      ? Effect.fail(notFound(`No label "${name}" in team ${issue.team.key} or the workspace; create it in Linear first`))
      : Effect.succeed({ id: found.id, name: found.name })
  })
