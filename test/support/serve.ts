/**
 * Serves a web handler (`(request: Request) => Promise<Response>`, such as the fake Linear) on a
 * loopback port in Node, converting `node:http` messages to and from web `Request`/`Response`.
 *
 * Test tooling only: it imports `node:http`, which is why it lives in test/ and not beside the
 * fakes in sandbox/ (everything under providers/ stays runtime neutral). Bodies are
 * buffered, which is fine for fakes and small payloads, not for streaming.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"

export interface Served {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string
  readonly close: () => Promise<void>
}

export type WebHandler = (request: Request) => Promise<Response>

const readBody = async (message: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> => {
  const chunks: Array<Uint8Array> = []
  for await (const chunk of message) {
    chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : new Uint8Array(chunk))
  }
  const body = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.length
  }
  return body
}

const toRequest = async (message: IncomingMessage, origin: string): Promise<Request> => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue
    for (const entry of Array.isArray(value) ? value : [value]) headers.append(name, entry)
  }
  const method = message.method ?? "GET"
  const body = method === "GET" || method === "HEAD" ? undefined : await readBody(message)
  return new Request(new URL(message.url ?? "/", origin), { method, headers, body: body ?? null })
}

const writeResponse = async (response: Response, target: ServerResponse): Promise<void> => {
  const headers: Record<string, Array<string>> = {}
  response.headers.forEach((value, name) => {
    headers[name] = [...(headers[name] ?? []), value]
  })
  const setCookies = response.headers.getSetCookie()
  if (setCookies.length > 0) headers["set-cookie"] = setCookies
  target.writeHead(response.status, headers)
  target.end(response.body === null ? undefined : new Uint8Array(await response.arrayBuffer()))
}

export const serve = (handler: WebHandler, options: { readonly port?: number } = {}): Promise<Served> =>
  new Promise((resolve, reject) => {
    let origin = "http://127.0.0.1"
    const server = createServer((message, response) => {
      toRequest(message, origin)
        .then(handler)
        .then((answer) => writeResponse(answer, response))
        .catch((error: unknown) => {
          response.writeHead(500, { "content-type": "text/plain" })
          response.end(`serve: handler failed: ${String(error)}`)
        })
    })
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      origin = `http://127.0.0.1:${port}`
      resolve({
        url: origin,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections()
            server.close((error) => (error ? fail(error) : done()))
          })
      })
    })
  })
