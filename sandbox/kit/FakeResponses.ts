/**
 * Responses and request bodies the way vendors' APIs shape them, for the fakes in
 * `sandbox/fakes/*`: JSON (with the vendor's content type), HTML pages for consent screens,
 * OAuth redirects, and bodies read strictly (a Schema) or leniently (a JSON object, a form).
 */
import { Option, Schema } from "effect"

export type Headers = Readonly<Record<string, string>>

/** A JSON responder with the vendor's content type (some add `; charset=utf-8`, some do not). */
export const jsonAs = (contentType: string) => (status: number, body: unknown, headers: Headers = {}): Response =>
  // A 204 has no body by definition; `Response` throws if given one.
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { "content-type": contentType, ...headers } })

export const json = jsonAs("application/json")

export const noContent = (): Response => new Response(null, { status: 204 })

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)

export const html = (status: number, title: string, body: string): Response =>
  new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`,
    { status, headers: { "content-type": "text/html; charset=utf-8" } }
  )

/** Every parameter as a hidden form field, so a consent form posts back what the page was given. */
export const hiddenInputs = (params: URLSearchParams): string =>
  [...params.entries()].map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join("")

/** A 302 to `base` with `params` added (null values left out), as OAuth consent pages answer. */
export const redirect = (base: string, params: Readonly<Record<string, string | null>> = {}): Response => {
  const url = new URL(base)
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value)
  return new Response(null, { status: 302, headers: { location: url.toString() } })
}

/** `response` with `headers` added where it does not set them itself. */
export const withHeaders = (response: Response, headers: Headers): Response => {
  const merged = new Headers(response.headers)
  for (const [name, value] of Object.entries(headers)) if (!merged.has(name)) merged.set(name, value)
  return new Response(response.body, { status: response.status, headers: merged })
}

/** Decodes a JSON request body with `schema`; none when it is not JSON or not of that shape. An empty body reads as `{}`. */
export const readJsonBody = async <A>(request: Request, schema: Schema.Codec<A, unknown>): Promise<Option.Option<A>> => {
  const text = await request.text()
  return Schema.decodeUnknownOption(Schema.fromJsonString(schema))(text.length === 0 ? "{}" : text)
}

const decodeObject = Schema.decodeUnknownOption(Schema.fromJsonString(Schema.Record(Schema.String, Schema.Unknown)))

/** A JSON object's fields, or undefined when `text` is not one (for endpoints as lenient as their vendor's). */
export const jsonObject = (text: string): Record<string, unknown> | undefined => Option.getOrUndefined(decodeObject(text))

export const readJsonObject = async (request: Request): Promise<Record<string, unknown> | undefined> => jsonObject(await request.text())

/** A form's fields when posted, else the query's: what a consent page's approve step receives. */
export const paramsOf = async (request: Request): Promise<URLSearchParams> =>
  request.method === "POST" ? new URLSearchParams(await request.text()) : new URL(request.url).searchParams
