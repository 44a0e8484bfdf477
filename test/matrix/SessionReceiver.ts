/**
 * A stand-in agent platform for tests: an HTTP receiver on loopback that checks
 * `switchboard-signature` with `verifySessionSignature` (as a real receiver would, before
 * parsing), records what it accepted, and answers 401 to anything unsigned.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect, Exit } from "effect"
import { signatureHeader, verifySessionSignature } from "../../adapters/sink/SessionSignature.ts"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"

export interface ReceivedDelivery {
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly delivery: SessionDelivery
}

export interface RejectedDelivery {
  readonly path: string
  readonly reason: string
  readonly body: string
}

export interface SessionReceiver {
  readonly url: string
  readonly deliveries: ReadonlyArray<ReceivedDelivery>
  readonly rejected: ReadonlyArray<RejectedDelivery>
  /** Resolves once `count` deliveries were accepted, or rejects after `timeoutMs`. */
  readonly waitFor: (count: number, timeoutMs?: number) => Promise<ReadonlyArray<ReceivedDelivery>>
  readonly close: () => Promise<void>
}

export interface SessionReceiverOptions {
  readonly secret: string
  /** Status to answer a verified delivery with, by path (default 200). `"hang"` never answers. */
  readonly answer?: (path: string) => number | "hang"
}

export const startSessionReceiver = async (options: SessionReceiverOptions): Promise<SessionReceiver> => {
  const deliveries: Array<ReceivedDelivery> = []
  const rejected: Array<RejectedDelivery> = []
  const waiters = new Set<() => void>()
  const hanging = new Set<() => void>()

  const server = createServer((request, response) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8")
      const path = request.url ?? "/"
      const header = request.headers[signatureHeader]
      void Effect.runPromiseExit(
        verifySessionSignature(options.secret, typeof header === "string" ? header : undefined, body, Date.now())
      ).then((exit) => {
        if (Exit.isFailure(exit)) {
          const reason = exit.cause.reasons.map((reason) => (reason._tag === "Fail" ? reason.error.reason : "Die"))
            .join(",")
          rejected.push({ path, reason, body })
          response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: reason }))
          return
        }
        const status = options.answer?.(path) ?? 200
        if (status === "hang") {
          hanging.add(() => response.destroy())
          return
        }
        const headers: Record<string, string> = {}
        for (const [name, value] of Object.entries(request.headers)) {
          if (typeof value === "string") headers[name] = value
        }
        if (status >= 200 && status < 300) {
          deliveries.push({ path, headers, body, delivery: JSON.parse(body) as SessionDelivery })
          for (const wake of waiters) wake()
        }
        response.writeHead(status, { "content-type": "application/json" }).end(
          JSON.stringify(status < 300 ? { ok: true } : { error: `status ${status}` })
        )
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  const waitFor = (count: number, timeoutMs = 15_000) =>
    new Promise<ReadonlyArray<ReceivedDelivery>>((resolve, reject) => {
      const check = () => {
        if (deliveries.length < count) return
        clearTimeout(timer)
        waiters.delete(check)
        resolve(deliveries.slice())
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`Expected ${count} session deliveries within ${timeoutMs} ms, got ${deliveries.length}`))
      }, timeoutMs)
      waiters.add(check)
      check()
    })

  return {
    url: `http://127.0.0.1:${port}/sessions`,
    deliveries,
    rejected,
    waitFor,
    close: () =>
      new Promise<void>((resolve) => {
        for (const abort of hanging) abort()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
