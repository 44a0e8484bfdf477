/**
 * The fake's `POST /graphql`. It is not a GraphQL engine: it reads the root fields of the query
 * (`viewer`, `organization`, `issue`, `commentCreate`), takes their arguments from the variables
 * (`$id`, `$input`, as the provider sends them) and answers with whole objects; callers decode
 * only what they selected, as Linear's clients must tolerate extra fields anyway.
 *
 * Failures use Linear's shape, `{ errors: [{ message, extensions: { code, type, statusCode,
 * userPresentableMessage } }] }`: 401 AUTHENTICATION_ERROR for a missing, unknown, revoked or
 * expired token, 429 RATELIMITED with the rate-limit headers when the test switch is on, 400
 * INVALID_INPUT ("Entity not found: Issue") for unknown ids, 403 FORBIDDEN for missing scopes.
 */
import { Option, Schema } from "effect"
import { json } from "./FakeLinearOAuth.ts"
import type { FakeAccessToken, FakeLinearState } from "./FakeLinearState.ts"
import { addComment, checkAccessToken, findIssue } from "./FakeLinearState.ts"

const GraphQLRequest = Schema.Struct({
  query: Schema.String,
  variables: Schema.optional(Schema.NullOr(Schema.Record(Schema.String, Schema.Unknown))),
  operationName: Schema.optional(Schema.NullOr(Schema.String))
})
const decodeRequest = Schema.decodeUnknownOption(Schema.fromJsonString(GraphQLRequest))
const decodeId = Schema.decodeUnknownOption(Schema.String)
const decodeCommentInput = Schema.decodeUnknownOption(Schema.Struct({ issueId: Schema.String, body: Schema.String }))

interface FieldError {
  readonly status: number
  readonly code: string
  readonly type: string
  readonly message: string
  readonly userPresentableMessage: string
}

type FieldResult = { readonly _tag: "Data"; readonly value: unknown } | { readonly _tag: "Error"; readonly error: FieldError }

const data = (value: unknown): FieldResult => ({ _tag: "Data", value })
const failure = (error: FieldError): FieldResult => ({ _tag: "Error", error })

export const errorResponse = (error: FieldError, headers: Record<string, string> = {}): Response =>
  json(error.status, {
    data: null,
    errors: [{
      message: error.message,
      extensions: {
        code: error.code,
        type: error.type,
        statusCode: error.status,
        userError: error.status < 500,
        userPresentableMessage: error.userPresentableMessage
      }
    }]
  }, headers)

const notFound = (entity: string): FieldError => ({
  status: 400,
  code: "INVALID_INPUT",
  type: "invalid input",
  message: `Entity not found: ${entity}`,
  userPresentableMessage: `Could not find referenced ${entity}.`
})

const invalidInput = (message: string): FieldError => ({
  status: 400,
  code: "INVALID_INPUT",
  type: "invalid input",
  message,
  userPresentableMessage: message
})

/** The names of the query's top-level selections, as `[responseKey, fieldName]` pairs. */
export const rootFields = (query: string): ReadonlyArray<readonly [string, string]> => {
  const source = query.replace(/#[^\n]*/g, "").replace(/"(?:[^"\\]|\\.)*"/g, "\"\"")
  const fields: Array<readonly [string, string]> = []
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
      if (alias !== null && alias[1] !== undefined) {
        fields.push([name, alias[1]])
        index += alias[0].length
      } else {
        fields.push([name, name])
      }
      continue
    }
    index++
  }
  return fields
}

const teamOf = (state: FakeLinearState, teamId: string) => state.teams.get(teamId) ?? null

const resolveField = (
  state: FakeLinearState,
  token: FakeAccessToken,
  field: string,
  variables: Readonly<Record<string, unknown>>
): FieldResult => {
  switch (field) {
    case "viewer":
      return data({ id: state.appUser.id, name: state.appUser.name, displayName: state.appUser.name, app: true })
    case "organization":
      return data({ ...state.organization })
    case "issue": {
      const id = decodeId(variables["id"])
      if (Option.isNone(id)) return failure(invalidInput("issue(id:) needs the $id variable"))
      const issue = findIssue(state, id.value)
      if (issue === undefined) return failure(notFound("Issue"))
      const team = teamOf(state, issue.teamId)
      return data({ ...issue, team, labels: { nodes: issue.labels.map((name) => ({ name })) } })
    }
    case "commentCreate": {
      if (!token.scopes.includes("write") && !token.scopes.includes("comments:create")) {
        return failure({
          status: 403,
          code: "FORBIDDEN",
          type: "forbidden",
          message: "Invalid scope: `write` or `comments:create` required",
          userPresentableMessage: "You don't have permission to create comments."
        })
      }
      const input = decodeCommentInput(variables["input"])
      if (Option.isNone(input)) return failure(invalidInput("commentCreate needs $input with issueId and body"))
      if (input.value.body.trim().length === 0) return failure(invalidInput("Comment body must not be empty"))
      const issue = findIssue(state, input.value.issueId)
      if (issue === undefined) return failure(notFound("Issue"))
      const comment = addComment(state, issue, input.value.body)
      return data({ success: true, lastSyncId: state.comments.length, comment: { ...comment, issue: { id: issue.id } } })
    }
    default:
      return failure({
        status: 400,
        code: "GRAPHQL_VALIDATION_FAILED",
        type: "graphql error",
        message: `Cannot query field "${field}" on the fake Linear API`,
        userPresentableMessage: `The fake Linear API does not implement "${field}".`
      })
  }
}

const rateLimited = (state: FakeLinearState): Option.Option<Response> =>
  Option.map(Option.fromNullishOr(state.rateLimit), (limit) => {
    const headers: Record<string, string> = {
      "x-ratelimit-requests-limit": "5000",
      "x-ratelimit-requests-remaining": "0",
      "x-ratelimit-requests-reset": String(state.now() + limit.resetInSeconds * 1000)
    }
    if (limit.retryAfterSeconds !== null) headers["retry-after"] = String(limit.retryAfterSeconds)
    return errorResponse({
      status: 429,
      code: "RATELIMITED",
      type: "ratelimited",
      message: "Rate limit exceeded",
      userPresentableMessage: "Too many requests. Please try again later."
    }, headers)
  })

const bearerOf = (request: Request): string | null => {
  const header = request.headers.get("authorization")
  return header !== null && header.toLowerCase().startsWith("bearer ") ? header.slice(7).trim() : null
}

export const graphql = async (state: FakeLinearState, request: Request): Promise<Response> => {
  const check = checkAccessToken(state, bearerOf(request))
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
  const answer: Record<string, unknown> = {}
  for (const [key, field] of rootFields(body.value.query)) {
    const result = resolveField(state, check.token, field, variables)
    if (result._tag === "Error") return errorResponse(result.error)
    answer[key] = result.value
  }
  return json(200, { data: answer })
}
