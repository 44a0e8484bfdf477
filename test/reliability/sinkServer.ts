/**
 * The agent platform as the reliability tests see it: an HTTP receiver on loopback that records
 * every delivery as it arrives (its `idempotency-key`, the webhook's delivery id, when it came
 * and when, if ever, it was answered) and answers as the test's behaviour says: a status after
 * a delay, or never ("hang"). Signatures are the matrix's concern, not checked here.
 */
import { createServer, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Schema } from "effect"

const Delivered = Schema.Struct({
  dispatch: Schema.Struct({ id: Schema.String, deliveryId: Schema.String, eventId: Schema.String, mode: Schema.String })
})
const decodeDelivered = Schema.decodeUnknownSync(Schema.fromJsonString(Delivered))

export interface Arrival {
  readonly key: string
  readonly deliveryId: string
  readonly eventId: string
  readonly at: number
  /** 1 for the first arrival of this key, 2 for the second ... */
  readonly nth: number
  /** The request body as sent (the delivery, with its MCP URL and token). */
  readonly body: string
  answeredAt?: number
  status?: number
}

export type Answer = { readonly status: number; readonly afterMs?: number } | "hang"

export interface SinkServer {
  readonly url: string
  readonly arrivals: ReadonlyArray<Arrival>
  /** Keys answered 2xx, with how many times each was. */
  readonly successes: () => ReadonlyMap<string, number>
  /** Resolves once `check` holds (polled), or rejects after `timeoutMs` with `describe()`. */
  readonly until: (check: () => boolean, timeoutMs: number, describe: () => string) => Promise<void>
  readonly close: () => Promise<void>
}

export const startSink = async (behaviour: (arrival: Arrival) => Answer): Promise<SinkServer> => {
  const arrivals: Array<Arrival> = []
  const seen = new Map<string, number>()
  const open = new Set<ServerResponse>()
  const server = createServer((request, response) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => {
      const key = String(request.headers["idempotency-key"] ?? "")
      const body = Buffer.concat(chunks).toString("utf8")
      const { dispatch } = decodeDelivered(body)
      const nth = (seen.get(key) ?? 0) + 1
      seen.set(key, nth)
      const arrival: Arrival = { key, deliveryId: dispatch.deliveryId, eventId: dispatch.eventId, at: Date.now(), nth, body }
      arrivals.push(arrival)
      const answer = behaviour(arrival)
      open.add(response)
      response.on("close", () => open.delete(response))
      if (answer === "hang") return
      const reply = () => {
        if (response.destroyed) return
        response.on("finish", () => {
          arrival.answeredAt = Date.now()
          arrival.status = answer.status
        })
        response.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify({ ok: answer.status < 300 }))
      }
      if ((answer.afterMs ?? 0) <= 0) reply()
      else setTimeout(reply, answer.afterMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  const successes = () => {
    const counts = new Map<string, number>()
    for (const arrival of arrivals) {
      if (arrival.status !== undefined && arrival.status < 300) counts.set(arrival.key, (counts.get(arrival.key) ?? 0) + 1)
    }
    return counts
  }
  return {
    url: `http://127.0.0.1:${port}/sessions`,
    arrivals,
    successes,
    until: async (check, timeoutMs, describe) => {
      const deadline = Date.now() + timeoutMs
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${describe()}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of open) response.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
