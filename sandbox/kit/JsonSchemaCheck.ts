/**
 * Is a tool's input schema a JSON Schema an MCP client can use? MCP clients validate tool
 * arguments with whatever validator they ship (Ajv, @cfworker/json-schema ...), so the kit checks
 * the schema structurally, keyword by keyword, instead of trusting one validator's leniency:
 *
 * - the root is an object schema (MCP requires `type: "object"` for tool inputs);
 * - known keywords carry values of the right kind (`type` names JSON types, `required` is a list
 *   of unique strings naming declared properties, bounds are non-negative integers ...);
 * - every `pattern` compiles as a Unicode RegExp, every `$ref` points into `$defs`;
 * - `@cfworker/json-schema` (the validator the kernel's MCP server uses on Workers) accepts it.
 *
 * Unknown keywords are allowed: JSON Schema ignores them, and annotations are open-ended.
 */
import { Validator } from "@cfworker/json-schema"
import type { JsonSchema } from "effect"

const TYPES = new Set(["object", "array", "string", "number", "integer", "boolean", "null"])
const SCHEMA_LISTS = ["anyOf", "oneOf", "allOf", "prefixItems"] as const
const SCHEMA_MAPS = ["properties", "$defs", "patternProperties", "dependentSchemas"] as const
const SUBSCHEMAS = ["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties"] as const
const COUNTS = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"] as const
const NUMBERS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"] as const
const STRINGS = ["title", "description", "format", "$comment", "$id", "$schema"] as const

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const isSchema = (value: unknown): boolean => typeof value === "boolean" || isRecord(value)

/** Problems found in one schema node and everything under it, each prefixed by its JSON pointer. */
const problemsOf = (node: unknown, at: string, defs: ReadonlySet<string>): Array<string> => {
  if (typeof node === "boolean") return []
  if (!isRecord(node)) return [`${at}: a schema must be an object or a boolean`]
  const problems: Array<string> = []
  const type = node["type"]
  if (type !== undefined) {
    const names = Array.isArray(type) ? type : [type]
    if (names.length === 0 || names.some((name) => typeof name !== "string" || !TYPES.has(name))) {
      problems.push(`${at}/type: ${JSON.stringify(type)} is not a JSON type (or a list of them)`)
    }
  }
  const required = node["required"]
  if (required !== undefined) {
    if (!Array.isArray(required) || required.some((name) => typeof name !== "string")) {
      problems.push(`${at}/required: must be a list of property names`)
    } else {
      if (new Set(required).size !== required.length) problems.push(`${at}/required: names repeat`)
      const properties = node["properties"]
      const declared = isRecord(properties) ? Object.keys(properties) : []
      const undeclared = required.filter((name) => !declared.includes(name) && node["additionalProperties"] === false)
      if (undeclared.length > 0) problems.push(`${at}/required: ${undeclared.join(", ")} can never be present`)
    }
  }
  for (const key of COUNTS) {
    const value = node[key]
    if (value !== undefined && !(Number.isInteger(value) && typeof value === "number" && value >= 0)) {
      problems.push(`${at}/${key}: must be a non-negative integer`)
    }
  }
  for (const key of NUMBERS) {
    if (node[key] !== undefined && typeof node[key] !== "number") problems.push(`${at}/${key}: must be a number`)
  }
  for (const key of STRINGS) {
    if (node[key] !== undefined && typeof node[key] !== "string") problems.push(`${at}/${key}: must be a string`)
  }
  const pattern = node["pattern"]
  if (pattern !== undefined) {
    if (typeof pattern !== "string") problems.push(`${at}/pattern: must be a string`)
    else {
      try {
        new RegExp(pattern, "u")
      } catch {
        problems.push(`${at}/pattern: ${pattern} is not a valid regular expression`)
      }
    }
  }
  const enumValues = node["enum"]
  if (enumValues !== undefined && (!Array.isArray(enumValues) || enumValues.length === 0)) {
    problems.push(`${at}/enum: must be a non-empty list`)
  }
  const ref = node["$ref"]
  if (ref !== undefined) {
    const target = typeof ref === "string" ? /^#\/\$defs\/(.+)$/.exec(ref)?.[1] : undefined
    if (target === undefined || !defs.has(decodeURIComponent(target.replace(/~1/g, "/").replace(/~0/g, "~")))) {
      problems.push(`${at}/$ref: ${String(ref)} does not point at a definition in $defs`)
    }
  }
  for (const key of SCHEMA_LISTS) {
    const list = node[key]
    if (list === undefined) continue
    if (!Array.isArray(list) || list.length === 0) problems.push(`${at}/${key}: must be a non-empty list of schemas`)
    else list.forEach((entry, index) => problems.push(...problemsOf(entry, `${at}/${key}/${index}`, defs)))
  }
  for (const key of SCHEMA_MAPS) {
    const map = node[key]
    if (map === undefined) continue
    if (!isRecord(map)) problems.push(`${at}/${key}: must be an object of schemas`)
    else for (const [name, entry] of Object.entries(map)) problems.push(...problemsOf(entry, `${at}/${key}/${name}`, defs))
  }
  for (const key of SUBSCHEMAS) {
    const entry = node[key]
    if (entry === undefined) continue
    if (!isSchema(entry)) problems.push(`${at}/${key}: must be a schema`)
    else problems.push(...problemsOf(entry, `${at}/${key}`, defs))
  }
  return problems
}

/** Everything wrong with a tool's input schema; empty when an MCP client can use it. */
export const jsonSchemaProblems = (schema: JsonSchema.JsonSchema): ReadonlyArray<string> => {
  if (!isRecord(schema)) return ["the input schema must be an object"]
  const definitions = schema["$defs"]
  const defs = new Set(isRecord(definitions) ? Object.keys(definitions) : [])
  const problems = problemsOf(schema, "#", defs)
  if (schema["type"] !== "object") problems.push(`#/type: a tool's input must be an object schema, not ${JSON.stringify(schema["type"])}`)
  try {
    new Validator(schema, "2020-12").validate({})
  } catch (error) {
    problems.push(`@cfworker/json-schema cannot use it: ${error instanceof Error ? error.message : String(error)}`)
  }
  return problems
}

/** Whether `instance` validates against `schema`, with the validator's first errors when not. */
export const validateAgainst = (
  schema: JsonSchema.JsonSchema,
  instance: unknown
): { readonly valid: boolean; readonly errors: ReadonlyArray<string> } => {
  const result = new Validator(schema, "2020-12", false).validate(instance)
  return { valid: result.valid, errors: result.errors.slice(0, 3).map((error) => `${error.instanceLocation}: ${error.error}`) }
}
