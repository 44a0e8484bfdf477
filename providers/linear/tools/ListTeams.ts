/**
 * `list_teams`: the workspace's teams (or one of them) with their workflow states in board
 * order, which is what an agent needs before `create_issue` (a team) or `move_issue` (a state).
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import * as LinearClient from "../LinearClient.ts"
import { Team } from "./Inputs.ts"

export const Input = Schema.Struct({
  team: Schema.optionalKey(Team.annotate({ description: "Only this team (key such as ENG, name or id); all teams when left out" }))
})

const State = Schema.Struct({ id: Schema.String, name: Schema.String, type: Schema.String, position: Schema.Number })

export const ListTeams = LinearClient.operation(
  "ListTeams",
  `query ListTeams {
  teams(first: 100) {
    nodes { id key name states { nodes { id name type position } } }
  }
}`,
  Schema.Struct({
    teams: Schema.Struct({
      nodes: Schema.Array(Schema.Struct({
        id: Schema.String,
        key: Schema.String,
        name: Schema.String,
        states: Schema.Struct({ nodes: Schema.Array(State) })
      }))
    })
  })
)

export const make = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "list_teams",
    title: "List Linear teams and their workflow states",
    description: "Lists the Linear workspace's teams (id, key, name) with each team's workflow states in board order " +
      "(name and type: backlog, unstarted, started, completed, canceled).",
    input: Input,
    scope: "teams:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("LinearTools.listTeams")(function*(input, context) {
      const data = yield* client.execute(ListTeams, {}, context.accessToken)
      const wanted = input.team?.toLowerCase()
      const teams = wanted === undefined
        ? data.teams.nodes
        : data.teams.nodes.filter((team) => team.id === input.team || [team.key, team.name].some((name) => name.toLowerCase() === wanted))
      if (teams.length === 0) {
        const keys = data.teams.nodes.map((team) => team.key).join(", ")
        return yield* new ToolError({ reason: "NotFound", message: `No Linear team "${input.team}"; teams: ${keys}` })
      }
      return {
        teams: teams.map((team) => ({
          id: team.id,
          key: team.key,
          name: team.name,
          states: [...team.states.nodes].sort((a, b) => a.position - b.position).map((state) => ({
            id: state.id,
            name: state.name,
            type: state.type
          }))
        }))
      }
    })
  })
