/** Response helpers for the fake GitHub, in GitHub's shapes (`{ message, documentation_url }` errors). */

export const DOCS = "https://docs.github.com/rest"

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers }
  })

export const failure = (status: number, message: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) =>
  json(status, { message, documentation_url: DOCS, ...extra }, headers)

export const notFound = () => failure(404, "Not Found")

export const badCredentials = (why = "Bad credentials") => failure(401, why)

export const validationFailed = (errors: ReadonlyArray<Record<string, string>>) =>
  failure(422, "Validation Failed", {}, { errors })

export const redirect = (location: string) => new Response(null, { status: 302, headers: { location } })

export const html = (body: string) =>
  new Response(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake GitHub</title></head><body>${body}</body></html>`, {
    status: 200,
    headers: { "content-type": "text/html; charset=utf-8" }
  })

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)

/** A JSON object body, or undefined when the body is not one. */
export const readJson = async (request: Request): Promise<Record<string, unknown> | undefined> => {
  try {
    const parsed: unknown = JSON.parse(await request.text())
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? Object.fromEntries(Object.entries(parsed)) : undefined
  } catch {
    return undefined
  }
}

export const stringField = (body: Record<string, unknown> | undefined, key: string): string | undefined => {
  const value = body?.[key]
  return typeof value === "string" ? value : undefined
}

export const stringArrayField = (body: Record<string, unknown> | undefined, key: string): Array<string> | undefined => {
  const value = body?.[key]
  return Array.isArray(value) && value.every((entry): entry is string => typeof entry === "string") ? value : undefined
}
