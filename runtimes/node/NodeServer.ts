/**
 * A node:http server for a web-standard handler: IncomingMessage → Request (the body streamed,
 * not buffered; aborted when the client goes away) and Response → ServerResponse (streamed with
 * backpressure). Enough for the kernel; no HTTP/2, no upgrade (WebSocket) support.
 */
import { createServer } from "node:http"
import type { IncomingMessage, Server, ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { internalError } from "../shared/server.ts"

export type WebHandler = (request: Request) => Promise<Response>

/** Past this many unread bytes after the response, the connection is dropped instead of drained. */
const maxDiscardBytes = 16 * 1024 * 1024

interface IncomingBody {
  readonly stream: ReadableStream<Uint8Array>
  /** Reads and drops whatever the handler left unread, so the connection can be reused. */
  readonly discardRest: () => void
}

/**
 * The request body as a web stream with backpressure (the socket is paused while the stream's
 * queue is full). A handler that answers without reading it all (a 413 on Content-Length) must
 * not leave the rest in the socket: closing a socket with unread data makes the kernel send a
 * reset that can destroy the answer before the client reads it, so the rest is drained.
 */
const incomingBody = (incoming: IncomingMessage): IncomingBody => {
  let discarding = false
  let discarded = 0
  const discardRest = () => {
    if (discarding || incoming.complete) return
    discarding = true
    incoming.on("data", (chunk: Buffer) => {
      discarded += chunk.byteLength
      if (discarded > maxDiscardBytes) incoming.destroy()
    })
    incoming.resume()
  }
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      incoming.on("data", (chunk: Buffer) => {
        if (discarding) return
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
        if ((controller.desiredSize ?? 0) <= 0) incoming.pause()
      })
      incoming.once("end", () => {
        if (!discarding) controller.close()
      })
      incoming.once("error", (error) => {
        if (!discarding) controller.error(error)
      })
      incoming.pause()
    },
    pull() {
      incoming.resume()
    },
    cancel() {
      discardRest()
    }
  }, { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength })
  return { stream, discardRest }
}

export const toRequest = (
  incoming: IncomingMessage,
  outgoing: ServerResponse
): { readonly request: Request; readonly discardRest: () => void } => {
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
  if (method === "GET" || method === "HEAD") {
    return { request: new Request(url, { method, headers, signal: controller.signal }), discardRest: () => {} }
  }
  const body = incomingBody(incoming)
  const init: RequestInit & { duplex: "half" } = {
    method,
    headers,
    signal: controller.signal,
    body: body.stream,
    duplex: "half"
  }
  return { request: new Request(url, init), discardRest: body.discardRest }
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
      const { request, discardRest } = toRequest(incoming, outgoing)
      let response: Response
      try {
        response = await handler(request)
      } catch (error) {
        console.error("switchboard: handler threw", error)
        response = internalError()
      }
      await writeResponse(response, outgoing)
      discardRest()
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
