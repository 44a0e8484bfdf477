/**
 * The kit's checks that need no kernel: each returns the list of problems it found, so a failing
 * test names every offending tool at once instead of the first.
 */
import { Schema } from "effect"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import { type IntegrationProvider, mcpToolName } from "../../kernel/provider/Provider.ts"
import { jsonSchemaProblems, validateAgainst } from "./JsonSchemaCheck.ts"
import type { ToolSamples } from "./KitTypes.ts"
import { type ProbeContext, probeTool } from "./ToolProbe.ts"

const TOOL_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/

/** Tool names are `mcp_<provider>_<tool>`, lowercase with underscores, and unique across the provider. */
export const toolNameProblems = (provider: IntegrationProvider): ReadonlyArray<string> => {
  const problems: Array<string> = []
  if (!Schema.is(ProviderId)(provider.id)) problems.push(`provider id "${provider.id}" is not lowercase letters and digits`)
  const seen = new Set<string>()
  for (const tool of provider.tools) {
    if (!TOOL_NAME.test(tool.name)) problems.push(`tool "${tool.name}" is not lowercase words joined by underscores`)
    const mcpName = mcpToolName(provider.id, tool.name)
    if (!mcpName.startsWith(`mcp_${provider.id}_`)) problems.push(`${mcpName} does not start with mcp_${provider.id}_`)
    if (seen.has(mcpName)) problems.push(`${mcpName} is defined twice`)
    seen.add(mcpName)
  }
  if (provider.tools.length === 0) problems.push("the provider has no tools")
  return problems
}

/** Every tool sits behind a scope the provider declares, and each scope says what it grants. */
export const scopeProblems = (provider: IntegrationProvider): ReadonlyArray<string> => {
  const declared = new Set(provider.scopes.map((scope) => scope.name))
  const problems = provider.tools.filter((tool) => !declared.has(tool.scope)).map((tool) =>
    `tool ${tool.name} requires scope "${tool.scope}", which the provider does not declare`
  )
  if (declared.size !== provider.scopes.length) problems.push("two scopes share one name")
  for (const scope of provider.scopes) {
    if (scope.description.trim().length === 0) problems.push(`scope ${scope.name} has no description`)
  }
  return problems
}

export const inputSchemaProblems = (provider: IntegrationProvider): ReadonlyArray<string> =>
  provider.tools.flatMap((tool) => jsonSchemaProblems(tool.inputJsonSchema).map((problem) => `${tool.name}: ${problem}`))

/** Inputs no object-input tool may accept; added to every tool's own invalid samples. */
const NOT_OBJECTS: ReadonlyArray<unknown> = [null, "text", 42, []]

/**
 * For each tool, every valid sample passes both its Effect Schema and its JSON Schema, and every
 * invalid one fails both: the JSON Schema an agent sees says what the tool really accepts.
 */
export const sampleProblems = async (
  provider: IntegrationProvider,
  samples: Readonly<Record<string, ToolSamples>>,
  probe: ProbeContext = {}
): Promise<ReadonlyArray<string>> => {
  const problems: Array<string> = []
  const names = new Set(provider.tools.map((tool) => tool.name))
  for (const name of Object.keys(samples)) if (!names.has(name)) problems.push(`samples name an unknown tool "${name}"`)
  for (const tool of provider.tools) {
    const own = samples[tool.name]
    if (own === undefined || own.valid.length === 0) {
      problems.push(`${tool.name}: no valid sample input (the kit needs at least one per tool)`)
      continue
    }
    const shown = (input: unknown) => JSON.stringify(input)?.slice(0, 120) ?? String(input)
    for (const input of own.valid) {
      const verdict = await probeTool(provider.id, tool, input, probe)
      if (verdict._tag === "Rejected") problems.push(`${tool.name}: its Schema rejects the valid sample ${shown(input)}: ${verdict.message}`)
      if (verdict._tag === "Died") problems.push(`${tool.name}: the executor died on ${shown(input)}: ${verdict.message}`)
      const checked = validateAgainst(tool.inputJsonSchema, input)
      if (!checked.valid) {
        problems.push(`${tool.name}: its JSON Schema rejects the valid sample ${shown(input)}: ${checked.errors.join("; ")}`)
      }
    }
    for (const input of [...(own.invalid ?? []), ...NOT_OBJECTS]) {
      const verdict = await probeTool(provider.id, tool, input, probe)
      if (verdict._tag !== "Rejected") problems.push(`${tool.name}: its Schema accepts the invalid sample ${shown(input)}`)
      if (validateAgainst(tool.inputJsonSchema, input).valid) {
        problems.push(`${tool.name}: its JSON Schema accepts the invalid sample ${shown(input)} (a check the JSON Schema does not carry?)`)
      }
    }
  }
  return problems
}

const Listed = Schema.Struct({
  integrations: Schema.Array(Schema.Struct({
    id: Schema.String,
    scopes: Schema.Array(Schema.Struct({ name: Schema.String })),
    tools: Schema.Array(Schema.Struct({ name: Schema.String, scope: Schema.String, inputSchema: Schema.Unknown }))
  }))
})

/** `/v1/integrations` lists the provider with the tools, scopes and input schemas it was built with. */
export const listingProblems = (provider: IntegrationProvider, body: unknown): ReadonlyArray<string> => {
  const listed = Schema.decodeUnknownOption(Listed)(body)
  if (listed._tag === "None") return ["/v1/integrations did not answer { integrations: [...] }"]
  const entry = listed.value.integrations.find((integration) => integration.id === provider.id)
  if (entry === undefined) return [`/v1/integrations does not list ${provider.id}`]
  const problems: Array<string> = []
  const expected = provider.tools.map((tool) => mcpToolName(provider.id, tool.name)).sort()
  const names = entry.tools.map((tool) => tool.name).sort()
  if (JSON.stringify(names) !== JSON.stringify(expected)) problems.push(`listed tools ${names.join(", ")} != ${expected.join(", ")}`)
  for (const tool of provider.tools) {
    const shown = entry.tools.find((candidate) => candidate.name === mcpToolName(provider.id, tool.name))
    if (shown !== undefined && JSON.stringify(shown.inputSchema) !== JSON.stringify(tool.inputJsonSchema)) {
      problems.push(`${shown.name}: the listed input schema differs from the tool's`)
    }
    if (shown !== undefined && shown.scope !== tool.scope) problems.push(`${shown.name}: listed with scope ${shown.scope}`)
  }
  const scopes = entry.scopes.map((scope) => scope.name).sort().join(",")
  if (scopes !== provider.scopes.map((scope) => scope.name).sort().join(",")) problems.push(`listed scopes ${scopes} differ`)
  return problems
}
