/**
 * The provider kit's own checks catch what they claim to: a deliberately broken provider (a bad
 * tool name, a duplicate, an undeclared scope, a JSON Schema that cannot be used, a pattern that
 * never reaches the JSON Schema, an executor that dies) is reported tool by tool.
 */
import { Effect, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { ProviderId } from "../../../kernel/domain/Ids.ts"
import type { IntegrationProvider } from "../../../kernel/provider/Provider.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import { inputSchemaProblems, listingProblems, sampleProblems, scopeProblems, toolNameProblems } from "../../../sandbox/kit/KitChecks.ts"
import { jsonSchemaProblems } from "../../../sandbox/kit/JsonSchemaCheck.ts"
import { noWebhook } from "../noWebhook.ts"

const annotations = { readOnly: true, destructive: false, idempotent: true }

const tool = (name: string, input: Schema.Codec<unknown, unknown>, scope = "things:read", die = false): Tool =>
  defineTool({ name, title: name, description: name, input, scope, annotations, execute: () => (die ? Effect.die("boom") : Effect.succeed({ ok: true })) })

const provider = (tools: ReadonlyArray<Tool>): IntegrationProvider => ({
  id: ProviderId.make("broken"),
  displayName: "Broken",
  description: "A provider that breaks the contract on purpose",
  install: [],
  webhook: noWebhook,
  tools,
  scopes: [{ name: "things:read", description: "Read things" }],
  granularities: ["workspace"],
  filters: []
})

const Id = Schema.Struct({ id: Schema.String.check(Schema.isPattern(/^[a-z]+$/)) })
const UnicodeId = Schema.Struct({ id: Schema.String.check(Schema.isPattern(/^[a-z]+$/u)) })

describe("the provider kit's checks", () => {
  it("report bad, duplicate and missing tool names", () => {
    expect(toolNameProblems(provider([tool("Get-Thing", Id), tool("get_thing", Id), tool("get_thing", Id)]))).toEqual([
      `tool "Get-Thing" is not lowercase words joined by underscores`,
      "mcp_broken_get_thing is defined twice"
    ])
    expect(toolNameProblems(provider([]))).toEqual(["the provider has no tools"])
  })

  it("report a tool behind a scope the provider does not declare", () => {
    expect(scopeProblems(provider([tool("get_thing", Id, "things:write")]))).toEqual([
      `tool get_thing requires scope "things:write", which the provider does not declare`
    ])
  })

  it("report JSON Schemas an MCP client cannot use", () => {
    expect(jsonSchemaProblems({ type: "string" })).toContain(`#/type: a tool's input must be an object schema, not "string"`)
    expect(jsonSchemaProblems({ type: "object", properties: { a: { type: "text" } } })).toContain(`#/properties/a/type: "text" is not a JSON type (or a list of them)`)
    expect(jsonSchemaProblems({ type: "object", required: ["a"], additionalProperties: false })).toContain("#/required: a can never be present")
    expect(jsonSchemaProblems({ type: "object", properties: { a: { type: "string", pattern: "(" } } })).toContain("#/properties/a/pattern: ( is not a valid regular expression")
    expect(jsonSchemaProblems({ type: "object", properties: { a: { $ref: "#/$defs/Missing" } } })).toContain("#/properties/a/$ref: #/$defs/Missing does not point at a definition in $defs")
    expect(inputSchemaProblems(provider([tool("get_thing", UnicodeId)]))).toEqual([])
  })

  it("catch a check the JSON Schema does not carry, a missing sample and a dying executor", async () => {
    const problems = await sampleProblems(
      provider([tool("get_thing", Id), tool("get_unicode", UnicodeId), tool("die_thing", UnicodeId, "things:read", true), tool("unsampled", UnicodeId)]),
      {
        get_thing: { valid: [{ id: "abc" }], invalid: [{ id: "ABC" }] },
        get_unicode: { valid: [{ id: "abc" }], invalid: [{ id: "ABC" }, {}] },
        die_thing: { valid: [{ id: "abc" }] },
        nothing: { valid: [{}] }
      }
    )
    expect(problems).toEqual([
      `samples name an unknown tool "nothing"`,
      `get_thing: its JSON Schema accepts the invalid sample {"id":"ABC"} (a check the JSON Schema does not carry?)`,
      expect.stringContaining(`die_thing: the executor died on {"id":"abc"}`),
      "unsampled: no valid sample input (the kit needs at least one per tool)"
    ])
  })

  it("compare /v1/integrations with the provider", () => {
    const broken = provider([tool("get_thing", UnicodeId)])
    expect(listingProblems(broken, { integrations: [] })).toEqual(["/v1/integrations does not list broken"])
    expect(listingProblems(broken, {
      integrations: [{ id: "broken", scopes: [{ name: "things:read" }], tools: [{ name: "mcp_broken_get_thing", scope: "things:write", inputSchema: {} }] }]
    })).toEqual(["mcp_broken_get_thing: the listed input schema differs from the tool's", "mcp_broken_get_thing: listed with scope things:write"])
  })
})
