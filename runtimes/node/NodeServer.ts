/**
 * A node:http server for a web-standard handler: IncomingMessage → Request (the body streamed,
 * not buffered; aborted when the client goes away) and Response → ServerResponse (streamed with
 * backpressure). Enough for the kernel; no HTTP/2, no upgrade (WebSocket) support.
 */
import { createServer } from "node:http"
import type { IncomingMessage, Server, ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Readable } from "node:stream"
import { internalError } from "../shared/server.ts"

export type WebHandler = (request: Request) => Promise<Response>

export const toRequest = (incoming: IncomingMessage, outgoing: ServerResponse): Request => {
  const url = new URL(incoming.url ?? "/", `http://${incoming.headers.host ?? "localhost"}`)
  const headers = new Headers()
  for (let index = 0; index + 1 < incoming.rawHeaders.length; index += 2) {
    headers.append(incoming.rawHeaders[index]!, incoming.rawHeaders[index + 1]!)
  }
  const controller = new AbortController()
  outgoing.once("close", () => {
    if (!outgoing.writableFinished) controller.abort()
  })
  const method = incoming.method ?? "GET"
  const hasBody = method !== "GET" && method !== "HEAD"
  return new Request(url, {
    method,
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: "half" } : {})
  } as RequestInit)
}

export const writeResponse = async (response: Response, outgoing: ServerResponse): Promise<void> => {
  const headers: Record<string, string | Array<string>> = {}
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers["set-cookie"] = cookies
  outgoing.writeHead(response.status, response.statusText, headers)
  if (response.body === null) {
    outgoing.end()
    return
  }
  const reader = response.body.getReader()
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) break
      if (outgoing.destroyed) {
        await reader.cancel()
        return
      }
      if (!outgoing.write(value)) {
        await new Promise<void>((resolve) => {
          const settle = () => {
            outgoing.off("drain", settle)
            outgoing.off("close", settle)
            resolve()
          }
          outgoing.on("drain", settle)
          outgoing.on("close", settle)
        })
      }
    }
    outgoing.end()
  } catch (error) {
    outgoing.destroy(error instanceof Error ? error : undefined)
  }
}

export const createHandlerServer = (handler: WebHandler): Server =>
  createServer((incoming, outgoing) => {
    void (async () => {
      let response: Response
      try {
        response = await handler(toRequest(incoming, outgoing))
      } catch (error) {
        console.error("switchboard: handler threw", error)
        response = internalError()
      }
      await writeResponse(response, outgoing)
    })()
  })

export const listen = (server: Server, port: number, hostname: string): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, hostname, () => {
      server.off("error", reject)
      resolve((server.address() as AddressInfo).port)
    })
  })

export const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve())
    server.closeIdleConnections()
  })
