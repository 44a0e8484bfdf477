/**
 * The fake's `POST /graphql`. It is not a GraphQL engine: it reads the root selections of the
 * document with their arguments (bound to `$variables` or simple literals; object literals are
 * not read, the provider passes objects as variables), resolves each root field
 * (`FakeLinearQueries.ts`, `FakeLinearMutations.ts`) and answers whole objects; callers decode
 * only what they selected, as Linear's clients must tolerate extra fields anyway.
 *
 * Failures use Linear's shape (see `FakeLinearErrors.ts`): AUTHENTICATION_ERROR (HTTP 401) for
 * a missing, unknown, revoked or expired token; RATELIMITED when the test switch is on, with
 * HTTP 400 as Linear documents (or 429) and the `X-RateLimit-*` headers of the exhausted budget;
 * the first failing field's error otherwise. Every call is logged in `state.graphqlCalls`.
 */
import { Option, Schema } from "effect"
import { bearerOf } from "../../kit/FakeCredentials.ts"
import { json } from "../../kit/FakeResponses.ts"
import { errorResponse, type FieldError, unknownField } from "./FakeLinearErrors.ts"
import { mutations } from "./FakeLinearMutations.ts"
import { queries } from "./FakeLinearQueries.ts"
import type { FakeLinearState } from "./FakeLinearState.ts"
import { checkAccessToken } from "./FakeLinearTokens.ts"

export { errorResponse } from "./FakeLinearErrors.ts"

const GraphQLRequest = Schema.Struct({
  query: Schema.String,
  variables: Schema.optional(Schema.NullOr(Schema.Record(Schema.String, Schema.Unknown))),
  operationName: Schema.optional(Schema.NullOr(Schema.String))
})
const decodeRequest = Schema.decodeUnknownOption(Schema.fromJsonString(GraphQLRequest))
const decodeLiteral = Schema.decodeUnknownOption(Schema.fromJsonString(Schema.Unknown))

export type Binding = { readonly _tag: "Variable"; readonly name: string } | { readonly _tag: "Literal"; readonly value: unknown }

export interface RootSelection {
  /** The response key: the alias, or the field name. */
  readonly key: string
  readonly field: string
  readonly args: Readonly<Record<string, Binding>>
}

/** Blanks out strings' contents and comments, keeping offsets, so braces inside them do not count. */
const mask = (query: string): string =>
  query.replace(/"(?:[^"\\]|\\.)*"|#[^\n]*/g, (match) =>
    match.startsWith("\"") ? `"${"_".repeat(match.length - 2)}"` : " ".repeat(match.length))

const ARGUMENT = /([_A-Za-z]\w*)\s*:\s*(\$[_A-Za-z]\w*|-?\d+(?:\.\d+)?|"_*"|[_A-Za-z]\w*)/g

const bindingOf = (text: string): Binding => {
  if (text.startsWith("$")) return { _tag: "Variable", name: text.slice(1) }
  const literal = decodeLiteral(text)
  // A bare word that is not JSON (true, false and null are) is an enum value.
  return { _tag: "Literal", value: Option.getOrElse(literal, () => text) }
}

const argumentsOf = (original: string, masked: string): Record<string, Binding> => {
  const args: Record<string, Binding> = {}
  for (const match of masked.matchAll(ARGUMENT)) {
    const name = match[1]
    const value = match[2]
    if (name === undefined || value === undefined) continue
    const start = (match.index ?? 0) + match[0].length - value.length
    args[name] = bindingOf(original.slice(start, start + value.length))
  }
  return args
}

/** The query's top-level selections with their arguments. */
export const rootSelections = (query: string): ReadonlyArray<RootSelection> => {
  const source = mask(query)
  const selections: Array<RootSelection> = []
  let depth = 0
  let parens = 0
  let index = 0
  while (index < source.length) {
    const character = source.charAt(index)
    if (character === "{") depth++
    else if (character === "}") depth--
    else if (character === "(") parens++
    else if (character === ")") parens--
    else if (depth === 1 && parens === 0 && /[_A-Za-z]/.test(character)) {
      const name = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(index))?.[0] ?? character
      index += name.length
      const alias = /^\s*:\s*([_A-Za-z][_0-9A-Za-z]*)/.exec(source.slice(index))
      const field = alias?.[1] ?? name
      if (alias !== null) index += alias[0].length
      let args: Record<string, Binding> = {}
      const open = /^\s*\(/.exec(source.slice(index))
      if (open !== null) {
        const start = index + open[0].length
        const end = source.indexOf(")", start)
        const stop = end === -1 ? source.length : end
        args = argumentsOf(query.slice(start, stop), source.slice(start, stop))
        index = stop + 1
      }
      selections.push({ key: name, field, args })
      continue
    }
    index++
  }
  return selections
}

/** The names of the query's top-level selections, as `[responseKey, fieldName]` pairs. */
export const rootFields = (query: string): ReadonlyArray<readonly [string, string]> =>
  rootSelections(query).map((selection) => [selection.key, selection.field] as const)

const budgetHeaders = (state: FakeLinearState): Record<string, string> => {
  const used = state.graphqlCalls.length
  return {
    "x-ratelimit-requests-limit": "5000",
    "x-ratelimit-requests-remaining": String(Math.max(0, 5000 - used)),
    "x-ratelimit-requests-reset": String(state.now() + 3_600_000)
  }
}

const rateLimited = (state: FakeLinearState): Option.Option<Response> =>
  Option.map(Option.fromNullishOr(state.rateLimit), (limit) => {
    const reset = String(state.now() + limit.resetInSeconds * 1000)
    const headers: Record<string, string> = limit.budget === "requests"
      ? { "x-ratelimit-requests-limit": "5000", "x-ratelimit-requests-remaining": "0", "x-ratelimit-requests-reset": reset }
      : {
        ...budgetHeaders(state),
        "x-ratelimit-complexity-limit": "3000000",
        "x-ratelimit-complexity-remaining": "0",
        "x-ratelimit-complexity-reset": reset
      }
    if (limit.retryAfterSeconds !== null) headers["retry-after"] = String(limit.retryAfterSeconds)
    return errorResponse({
      status: limit.status,
      code: "RATELIMITED",
      type: "ratelimited",
      message: "Rate limit exceeded",
      userPresentableMessage: "Too many requests. Please try again later."
    }, headers)
  })

const answer = async (state: FakeLinearState, request: Request, token: string | null): Promise<Response> => {
  const check = checkAccessToken(state, token)
  if (check._tag === "Invalid") {
    return errorResponse({
      status: 401,
      code: "AUTHENTICATION_ERROR",
      type: "authentication error",
      message: `Authentication required, not authenticated (${check.reason})`,
      userPresentableMessage: "You need to authenticate to access this operation."
    })
  }
  const limited = rateLimited(state)
  if (Option.isSome(limited)) return limited.value
  const body = decodeRequest(await request.text())
  if (Option.isNone(body)) {
    return errorResponse({
      status: 400,
      code: "GRAPHQL_PARSE_FAILED",
      type: "graphql error",
      message: "Body must be JSON with a query string",
      userPresentableMessage: "The request could not be parsed."
    })
  }
  const variables = body.value.variables ?? {}
  const isMutation = /^\s*mutation\b/.test(body.value.query.replace(/#[^\n]*/g, ""))
  const resolvers = isMutation ? mutations : queries
  const result: Record<string, unknown> = {}
  for (const selection of rootSelections(body.value.query)) {
    const resolver = resolvers.get(selection.field)
    const args = Object.fromEntries(Object.entries(selection.args).map(([name, binding]) => [
      name,
      binding._tag === "Variable" ? variables[binding.name] : binding.value
    ]))
    const resolved = resolver === undefined
      ? { _tag: "Error" as const, error: unknownField(selection.field) satisfies FieldError }
      : resolver({ state, token: check.token, args })
    if (resolved._tag === "Error") return errorResponse(resolved.error, budgetHeaders(state))
    result[selection.key] = resolved.value
  }
  return json(200, { data: result }, budgetHeaders(state))
}

export const graphql = async (state: FakeLinearState, request: Request): Promise<Response> => {
  const token = bearerOf(request)
  const text = await request.clone().text()
  const parsed = decodeRequest(text)
  const response = await answer(state, request, token)
  state.graphqlCalls.push({
    operationName: Option.getOrNull(Option.flatMap(parsed, (body) => Option.fromNullishOr(body.operationName))),
    fields: Option.match(parsed, { onNone: () => [], onSome: (body) => rootFields(body.query).map(([, field]) => field) }),
    token,
    status: response.status,
    at: Date.now()
  })
  return response
}
