/**
 * A tool is data: a name, a description, an input Schema (its JSON Schema is derived from it),
 * the publication scope it needs, MCP annotations, and an executor. `defineTool` erases the
 * input type behind `run`, which decodes before it executes, so the registry can hold tools of
 * any input type without casts.
 */
import { Effect, type JsonSchema, Schema } from "effect"
import type { HttpClient } from "effect/http"
import { ToolError } from "../domain/Errors.ts"
import type { PublicationContext } from "./PublicationContext.ts"

export interface ToolAnnotations {
  readonly readOnly: boolean
  readonly destructive: boolean
  readonly idempotent: boolean
}

export type ToolResult = Schema.Json

export interface ToolSpec<I> {
  /** The short name; the MCP name is `mcp_<provider>_<name>`. Lowercase with underscores. */
  readonly name: string
  readonly title: string
  readonly description: string
  readonly input: Schema.Codec<I, unknown>
  readonly scope: string
  readonly annotations: ToolAnnotations
  readonly execute: (input: I, context: PublicationContext) => Effect.Effect<ToolResult, ToolError, HttpClient.HttpClient>
}

export interface Tool {
  readonly name: string
  readonly title: string
  readonly description: string
  readonly scope: string
  readonly annotations: ToolAnnotations
  /** JSON Schema (draft 2020-12) of the input, derived from the Schema. */
  readonly inputJsonSchema: JsonSchema.JsonSchema
  readonly run: (input: unknown, context: PublicationContext) => Effect.Effect<ToolResult, ToolError, HttpClient.HttpClient>
}

const jsonSchemaOf = (schema: Schema.Top): JsonSchema.JsonSchema => {
  const document = Schema.toJsonSchemaDocument(schema)
  return Object.keys(document.definitions).length === 0
    ? document.schema
    : { ...document.schema, $defs: document.definitions }
}

export const defineTool = <I>(spec: ToolSpec<I>): Tool => {
  const decode = Schema.decodeUnknownEffect(spec.input)
  // Derived on first read (a tools/list, the integrations page), not when the provider is built:
  // deriving every tool's schema at start cost more than the rest of a process's start-up.
  let inputJsonSchema: JsonSchema.JsonSchema | undefined
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    scope: spec.scope,
    annotations: spec.annotations,
    get inputJsonSchema() {
      return inputJsonSchema ??= jsonSchemaOf(spec.input)
    },
    run: (input, context) =>
      decode(input).pipe(
        Effect.mapError((error) => new ToolError({ reason: "InvalidInput", message: error.message })),
        Effect.flatMap((decoded) => spec.execute(decoded, context))
      )
  }
}
