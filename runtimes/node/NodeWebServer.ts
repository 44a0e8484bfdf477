/**
 * `serve`: a web-standard handler (the Node entry's kernel app) on `node:http`, through
 * `@hono/node-server`'s request listener rather than Effect's server. Effect's converts every
 * request twice (node:http -> Effect request -> undici Request, and back for the response); Hono's
 * hands the handler a lazy Request that reads method, URL and headers straight from node:http and
 * `text()`/`arrayBuffer()` straight from the socket (an undici Request is built only when
 * something asks for `body` or another member it does not cover), and writes a buffered Response
 * with its Content-Length. Chosen against srvx's node adapter in the same bench runs: srvx builds
 * the undici Request for `arrayBuffer()`, which is how the kernel reads a webhook, so once the
 * kernel stops asking for `body` first Hono's costs about a third less CPU per webhook; it is
 * also in the dependency tree already (the MCP SDK's), with `hono` as its peer. Effect apps keep
 * Effect's server: `layer` in NodeServer.ts.
 *
 * What it keeps from the server it replaces: request bodies streamed (nothing read before the
 * handler asks), a client that goes away aborts `request.signal`, streamed responses flushed
 * chunk by chunk, `stop` that stops accepting and lets requests in flight finish, and a handler
 * that throws answered 500 without a stack trace. test/runtimes/nodeServer.test.ts holds each.
 *
 * Hono can also replace the global Request and Response with its own lighter classes (a Response
 * made from a string or bytes is written without undici's body stream). That is off unless asked
 * for (`lightGlobals`): this function is exported to apps that embed the kernel, and their
 * process's globals are theirs. The standalone entry (main.ts) owns its process and asks.
 */
import { createServer, type Server } from "node:http"
import { getRequestListener, RequestError } from "@hono/node-server"
import { internalError } from "../shared/server.ts"
import type { ListenOptions } from "./NodeServer.ts"

export type WebHandler = (request: Request) => Promise<Response>

export interface ServeOptions extends ListenOptions {
  /** Replaces the process's global Request and Response with Hono's lighter subclasses (default false). */
  readonly lightGlobals?: boolean | undefined
}

export interface RunningServer {
  /** The port listened on (the one picked when asked for 0). */
  readonly port: number
  /** Stops accepting connections and lets requests in flight finish. */
  readonly stop: () => Promise<void>
}

// node:http could not make a URL of the request line or its Host header: the caller's mistake.
const badRequest = (): Response =>
  new Response(JSON.stringify({ error: { reason: "BadRequest", message: "Malformed request" } }), {
    status: 400,
    headers: { "content-type": "application/json" }
  })

const onError = (error: unknown): Response => {
  if (error instanceof RequestError) return badRequest()
  console.error("switchboard: handler threw", error)
  return internalError()
}

const listen = (server: Server, options: ListenOptions): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject)
      const address = server.address()
      resolve(typeof address === "object" && address !== null ? address.port : options.port)
    })
  })

export const serve = async (handler: WebHandler, options: ServeOptions): Promise<RunningServer> => {
  const server = createServer(
    getRequestListener((request) => handler(request), { overrideGlobalObjects: options.lightGlobals === true, errorHandler: onError })
  )
  const port = await listen(server, options)
  const stop = () =>
    new Promise<void>((resolve, reject) => {
      if (!server.listening) return resolve()
      // `close` ends the connections idle at that moment; one whose request is still in flight
      // would stay open for keep-alive afterwards (5 s) and hold the close back that long. So
      // idle connections are ended again until the last one is gone.
      const sweep = setInterval(() => server.closeIdleConnections(), 50)
      server.close((error) => {
        clearInterval(sweep)
        return error === undefined ? resolve() : reject(error)
      })
    })
  return { port, stop }
}
