/**
 * The Linear tools against the fake Linear on loopback, through the real fetch HttpClient: what
 * they return, what they change, and how Linear's failures reach the agent as typed ToolErrors.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { tokenSet } from "../../../kernel/domain/Credentials.ts"
import type { PublicationContext } from "../../../kernel/provider/PublicationContext.ts"
import type { Tool } from "../../../kernel/provider/Tool.ts"
import * as LinearClient from "../../../providers/linear/LinearClient.ts"
import * as LinearTools from "../../../providers/linear/tools/LinearTools.ts"
import { serve } from "../../support/serve.ts"
import { installation, publication, servedFakeLinear } from "./fixtures.ts"

const contextFor = (accessToken: string): PublicationContext => ({
  installation: installation(),
  publication: publication(),
  sessionKey: "linear:issue:issue-1",
  accessToken: Redacted.make(accessToken),
  tokens: tokenSet({ accessToken, now: 0, scopes: ["read", "write"] })
})

const toolNamed = (tools: ReadonlyArray<Tool>, name: string): Tool => {
  const tool = tools.find((candidate) => candidate.name === name)
  if (tool === undefined) throw new Error(`no tool ${name}`)
  return tool
}

/** The fake on loopback with one seeded issue and a valid token. */
const world = Effect.gen(function*() {
  const served = yield* servedFakeLinear()
  const tools = LinearTools.make(LinearClient.make(served.url))
  const issue = served.fake.control.seedIssue({
    title: "Login fails on Safari",
    description: "Steps: open, click, cry.",
    priority: 2,
    labels: ["bug", "frontend"]
  })
  const tokens = served.fake.control.mintTokens()
  return {
    ...served,
    issue,
    tokens,
    context: contextFor(tokens.accessToken),
    getIssue: toolNamed(tools, "get_issue"),
    createComment: toolNamed(tools, "create_comment")
  }
})

describe("Linear tools: definitions", () => {
  it("declares every tool behind its scope, with MCP annotations and a JSON Schema object", () => {
    const tools = LinearTools.make(LinearClient.make("https://api.linear.app"))
    expect(tools.map((tool) => [tool.name, tool.scope, tool.annotations.readOnly, tool.annotations.destructive])).toEqual([
      ["get_issue", "issues:read", true, false],
      ["create_comment", "comments:write", false, false],
      ["search_issues", "issues:search", true, false],
      ["create_issue", "issues:write", false, false],
      ["update_issue", "issues:write", false, true],
      ["move_issue", "issues:write", false, false],
      ["create_sub_issue", "issues:write", false, false],
      ["list_comments", "comments:read", true, false],
      ["add_label", "labels:write", false, false],
      ["remove_label", "labels:write", false, true],
      ["list_teams", "teams:read", true, false],
      ["create_agent_activity", "activities:write", false, false]
    ])
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-z_]+$/)
      expect(tool.inputJsonSchema).toMatchObject({ type: "object" })
      expect(tool.description.length).toBeGreaterThan(20)
    }
    expect(toolNamed(tools, "create_comment").inputJsonSchema).toMatchObject({
      type: "object",
      required: ["issueId", "body"]
    })
  })
})

describe("get_issue", () => {
  it.live("reads an issue by id and by identifier, as plain JSON", () =>
    Effect.gen(function*() {
      const { context, getIssue, issue } = yield* world
      const byId = yield* getIssue.run({ issueId: issue.id }, context)
      const byIdentifier = yield* getIssue.run({ issueId: issue.identifier }, context)
      expect(byIdentifier).toEqual(byId)
      expect(JSON.parse(JSON.stringify(byId))).toEqual(byId)
      expect(byId).toMatchObject({
        id: issue.id,
        identifier: "ENG-1",
        title: "Login fails on Safari",
        description: "Steps: open, click, cry.",
        priority: 2,
        priorityLabel: "High",
        state: { name: "Todo", type: "unstarted" },
        team: { key: "ENG" },
        assignee: null,
        labels: ["bug", "frontend"]
      })
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("an unknown issue is NotFound", () =>
    Effect.gen(function*() {
      const { context, getIssue } = yield* world
      const error = yield* Effect.flip(getIssue.run({ issueId: "ENG-999" }, context))
      expect(error.reason).toBe("NotFound")
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("input that does not match the schema is InvalidInput before any call", () =>
    Effect.gen(function*() {
      const { context, getIssue } = yield* world
      for (const input of [{}, { issueId: "" }, { issueId: 42 }, { id: "ENG-1" }, null]) {
        const error = yield* Effect.flip(getIssue.run(input, context))
        expect(error.reason).toBe("InvalidInput")
      }
    }).pipe(Effect.provide(FetchHttpClient.layer)))
})

describe("create_comment", () => {
  it.live("posts a Markdown comment on the issue as the app user", () =>
    Effect.gen(function*() {
      const { context, createComment, fake, issue } = yield* world
      const result = yield* createComment.run({ issueId: issue.identifier, body: "**Found it**: a race." }, context)
      const posted = fake.control.comments(issue.id)
      expect(posted).toHaveLength(1)
      expect(posted[0]).toMatchObject({ body: "**Found it**: a race.", userId: fake.control.appUser.id })
      expect(result).toMatchObject({ id: posted[0]?.id, issueId: issue.identifier, body: "**Found it**: a race." })
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("a token without write access is Forbidden", () =>
    Effect.gen(function*() {
      const { createComment, fake, issue } = yield* world
      const readOnly = fake.control.mintTokens({ scopes: ["read"] })
      const error = yield* Effect.flip(createComment.run({ issueId: issue.id, body: "hi" }, contextFor(readOnly.accessToken)))
      expect(error.reason).toBe("Forbidden")
      expect(fake.control.comments()).toHaveLength(0)
    }).pipe(Effect.provide(FetchHttpClient.layer)))
})

describe("Linear failures as ToolErrors", () => {
  it.live("401 for a revoked or expired token is Unauthorized", () =>
    Effect.gen(function*() {
      const { fake, getIssue, issue } = yield* world
      const revoked = fake.control.mintTokens()
      fake.control.revokeToken(revoked.accessToken)
      const expired = fake.control.mintTokens()
      fake.control.expireToken(expired.accessToken)
      for (const token of [revoked.accessToken, expired.accessToken, "lin_oauth_never_issued"]) {
        const error = yield* Effect.flip(getIssue.run({ issueId: issue.id }, contextFor(token)))
        expect(error.reason).toBe("Unauthorized")
        expect(error.message).toContain("AUTHENTICATION_ERROR")
      }
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("RATELIMITED is RateLimited with Retry-After as retryAfterSeconds", () =>
    Effect.gen(function*() {
      const { context, createComment, fake, issue } = yield* world
      fake.control.setRateLimited({ retryAfterSeconds: 17 })
      const error = yield* Effect.flip(createComment.run({ issueId: issue.id, body: "hi" }, context))
      expect(error.reason).toBe("RateLimited")
      expect(error.retryAfterSeconds).toBe(17)
      fake.control.setRateLimited(false)
      yield* createComment.run({ issueId: issue.id, body: "hi" }, context)
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("without Retry-After the wait comes from X-RateLimit-Requests-Reset", () =>
    Effect.gen(function*() {
      const { context, fake, getIssue, issue } = yield* world
      fake.control.setRateLimited({ retryAfterSeconds: null, resetInSeconds: 42 })
      const error = yield* Effect.flip(getIssue.run({ issueId: issue.id }, context))
      expect(error.reason).toBe("RateLimited")
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(40)
      expect(error.retryAfterSeconds).toBeLessThanOrEqual(42)
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("a 5xx without a GraphQL body, and an unreachable Linear, are VendorError", () =>
    Effect.gen(function*() {
      const broken = yield* Effect.acquireRelease(
        Effect.promise(() => serve(async () => new Response("<html>Bad gateway</html>", { status: 502 }))),
        (server) => Effect.promise(() => server.close())
      )
      const tools = [broken.url, "http://127.0.0.1:1"].map((url) => LinearTools.make(LinearClient.make(url)))
      for (const set of tools) {
        const error = yield* Effect.flip(toolNamed(set, "get_issue").run({ issueId: "ENG-1" }, contextFor("t")))
        expect(error.reason).toBe("VendorError")
      }
    }).pipe(Effect.provide(FetchHttpClient.layer)))
})
