/**
 * Linear's GraphQL error shape, as the fake answers it: `{ data: null, errors: [{ message,
 * extensions: { code, type, statusCode, userError, userPresentableMessage } }] }`, and the
 * errors the resolvers raise (an unknown entity is INVALID_INPUT "Entity not found: <Type>",
 * a missing scope is FORBIDDEN, a bad argument is INVALID_INPUT "Argument Validation Error").
 */
import { json } from "../../kit/FakeResponses.ts"

export interface FieldError {
  readonly status: number
  readonly code: string
  readonly type: string
  readonly message: string
  readonly userPresentableMessage: string
}

export type FieldResult = { readonly _tag: "Data"; readonly value: unknown } | { readonly _tag: "Error"; readonly error: FieldError }

export const data = (value: unknown): FieldResult => ({ _tag: "Data", value })
export const failure = (error: FieldError): FieldResult => ({ _tag: "Error", error })

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

export const notFound = (entity: string): FieldError => ({
  status: 400,
  code: "INVALID_INPUT",
  type: "invalid input",
  message: `Entity not found: ${entity}`,
  userPresentableMessage: `Could not find referenced ${entity}.`
})

export const invalidInput = (detail: string): FieldError => ({
  status: 400,
  code: "INVALID_INPUT",
  type: "invalid input",
  message: "Argument Validation Error",
  userPresentableMessage: detail
})

export const forbidden = (scopes: string, what: string): FieldError => ({
  status: 403,
  code: "FORBIDDEN",
  type: "forbidden",
  message: `Invalid scope: ${scopes} required`,
  userPresentableMessage: `You don't have permission to ${what}.`
})

export const unknownField = (field: string): FieldError => ({
  status: 400,
  code: "GRAPHQL_VALIDATION_FAILED",
  type: "graphql error",
  message: `Cannot query field "${field}" on the fake Linear API`,
  userPresentableMessage: `The fake Linear API does not implement "${field}".`
})
