/**
 * The fake Linear's GraphQL, held to Linear's behaviour where the provider could go wrong:
 * arguments bound from variables and literals, Linear's filter language, inputs as strict as
 * Linear's schema validation, agent activity rules, and its error shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { matches } from "../../../sandbox/fakes/linear/FakeLinearFilter.ts"
import { makeFakeLinear } from "../../../sandbox/fakes/linear/FakeLinear.ts"
import { rootSelections } from "../../../sandbox/fakes/linear/FakeLinearGraphQL.ts"
import { serve, type Served } from "../../support/serve.ts"

const fake = makeFakeLinear()
let served: Served
let token: string

beforeAll(async () => {
  served = await serve(fake.handler)
  token = fake.control.mintTokens().accessToken
})
afterAll(() => served.close())

const graphql = async (query: string, variables: Record<string, unknown> = {}, bearer = token) => {
  const response = await fetch(`${served.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query, variables })
  })
  return { status: response.status, body: await response.json() }
}

describe("root selections", () => {
  it("binds arguments to variables and literals, ignoring strings, comments and nested arguments", () => {
    expect(rootSelections(`query Q($f: IssueFilter) {
      found: issues(filter: $f, first: 5, orderBy: updatedAt) { nodes { comments(first: $ignored) { nodes { id } } } }
      # team(id: "x") { id }
      issue(id: "ENG-1") { title }
    }`)).toEqual([
      {
        key: "found",
        field: "issues",
        args: {
          filter: { _tag: "Variable", name: "f" },
          first: { _tag: "Literal", value: 5 },
          orderBy: { _tag: "Literal", value: "updatedAt" }
        }
      },
      { key: "issue", field: "issue", args: { id: { _tag: "Literal", value: "ENG-1" } } }
    ])
  })
})

describe("filters", () => {
  const issue = {
    title: "Login fails",
    team: { key: "ENG" },
    assignee: null,
    labels: { nodes: [{ name: "Bug" }] },
    priority: 2
  }
  const context = { viewerId: "me" }

  it("evaluates comparators, relations, and/or, some, null and isMe as Linear does", () => {
    expect(matches(issue, { team: { key: { eq: "ENG" } } }, context)).toBe(true)
    expect(matches(issue, { title: { containsIgnoreCase: "LOGIN" } }, context)).toBe(true)
    expect(matches(issue, { labels: { some: { name: { eqIgnoreCase: "bug" } } } }, context)).toBe(true)
    expect(matches(issue, { assignee: { null: true } }, context)).toBe(true)
    expect(matches(issue, { assignee: { id: { eq: "x" } } }, context)).toBe(false)
    expect(matches(issue, { assignee: { isMe: { eq: true } } }, context)).toBe(false)
    expect(matches({ assignee: { id: "me" } }, { assignee: { isMe: { eq: true } } }, context)).toBe(true)
    expect(matches(issue, { and: [{ priority: { lte: 2 } }, { or: [{ title: { eq: "x" } }, { team: { key: { in: ["ENG"] } } }] }] }, context))
      .toBe(true)
    expect(matches(issue, { title: { fuzzy: "Login" } }, context)).toBe(false)
  })
})

describe("strict inputs and Linear's errors", () => {
  it("an input field Linear does not define is a validation error, not silently dropped", async () => {
    const issue = fake.control.seedIssue({ title: "Strict" })
    const answer = await graphql(
      "mutation U($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success } }",
      { id: issue.id, input: { titel: "typo" } }
    )
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({ errors: [{ message: "Argument Validation Error", extensions: { code: "INVALID_INPUT" } }] })
    expect(fake.control.issue(issue.id)?.title).toBe("Strict")
  })

  it("references to unknown entities are Entity not found; a state of another team is refused", async () => {
    fake.control.seedTeam({ id: "team-ops", key: "OPS", name: "Operations" })
    const issue = fake.control.seedIssue({ title: "Wrong state" })
    const update = (input: Record<string, unknown>) =>
      graphql("mutation U($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success } }", {
        id: issue.id,
        input
      })
    expect((await update({ assigneeId: "nobody" })).body).toMatchObject({ errors: [{ message: "Entity not found: User" }] })
    expect((await update({ stateId: "state-ops-done" })).body).toMatchObject({ errors: [{ extensions: { code: "INVALID_INPUT" } }] })
    expect((await update({ stateId: "state-eng-done" })).status).toBe(200)
    expect(fake.control.issue(issue.id)?.state).toMatchObject({ name: "Done", type: "completed" })
  })

  it("agent activities follow Linear's content rules and move the session's status", async () => {
    const session = fake.control.startAgentSession()
    const create = (input: Record<string, unknown>) =>
      graphql("mutation A($input: AgentActivityCreateInput!) { agentActivityCreate(input: $input) { success } }", {
        input: { agentSessionId: session.id, ...input }
      })
    expect((await create({ content: { type: "prompt", body: "agents do not prompt" } })).status).toBe(400)
    expect((await create({ content: { type: "response" } })).status).toBe(400)
    expect((await create({ content: { type: "response", body: "done" }, ephemeral: true })).status).toBe(400)
    expect((await create({ content: { type: "action", action: "Searching", parameter: "q" }, ephemeral: true })).status).toBe(200)
    expect(session.status).toBe("active")
    const id = "0f8fad5b-d9cb-469f-a165-70867728950e"
    expect((await create({ id, content: { type: "elicitation", body: "Which one?" } })).status).toBe(200)
    expect(session.status).toBe("awaitingInput")
    expect((await create({ id, content: { type: "thought", body: "again" } })).body).toMatchObject({
      errors: [{ extensions: { code: "INVALID_INPUT" } }]
    })
    expect((await create({ agentSessionId: "missing", content: { type: "thought", body: "x" } })).body).toMatchObject({
      errors: [{ message: "Entity not found: AgentSession" }]
    })
  })

  it("writes need the write scope", async () => {
    const readOnly = fake.control.mintTokens({ scopes: ["read"] }).accessToken
    const issue = fake.control.seedIssue()
    const answer = await graphql(
      "mutation L($id: String!, $labelId: String!) { issueAddLabel(id: $id, labelId: $labelId) { success } }",
      { id: issue.id, labelId: fake.control.seedLabel("bug").id },
      readOnly
    )
    expect(answer.status).toBe(403)
    expect(answer.body).toMatchObject({ errors: [{ extensions: { code: "FORBIDDEN" } }] })
  })

  it("logs every call with its operation, fields and status; counts refreshes", async () => {
    const before = fake.control.graphqlCalls().length
    await graphql("query Who { viewer { id } organization { id } }")
    expect(fake.control.graphqlCalls().slice(before)).toEqual([
      expect.objectContaining({ fields: ["viewer", "organization"], status: 200, token })
    ])
    expect(fake.control.refreshes()).toEqual([])
  })
})
