/** Response helpers for the fake GitHub, in GitHub's shapes (`{ message, documentation_url }` errors), on the kit's. */
import { jsonAs, readJsonObject } from "../../kit/FakeResponses.ts"

export const DOCS = "https://docs.github.com/rest"

export const json = jsonAs("application/json; charset=utf-8")

export const failure = (status: number, message: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) =>
  json(status, { message, documentation_url: DOCS, ...extra }, headers)

export const notFound = () => failure(404, "Not Found")

export const badCredentials = (why = "Bad credentials") => failure(401, why)

export const validationFailed = (errors: ReadonlyArray<Record<string, string>>) =>
  failure(422, "Validation Failed", {}, { errors })

/** A JSON object body, or undefined when the body is not one. */
export const readJson = readJsonObject

export const stringField = (body: Record<string, unknown> | undefined, key: string): string | undefined => {
  const value = body?.[key]
  return typeof value === "string" ? value : undefined
}

export const stringArrayField = (body: Record<string, unknown> | undefined, key: string): Array<string> | undefined => {
  const value = body?.[key]
  return Array.isArray(value) && value.every((entry): entry is string => typeof entry === "string") ? value : undefined
}
