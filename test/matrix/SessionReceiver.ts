/**
 * A stand-in agent platform for tests: an HTTP receiver on loopback that checks
 * `switchboard-signature` with `verifySessionSignature` (as a real receiver would, before
 * parsing), records what it accepted, and answers 401 to anything unsigned. A test can make it
 * slow for the deliveries it names (`answerAfter`), as an agent platform that takes its time.
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

export interface ArrivedDelivery extends ReceivedDelivery {
  /** When the request arrived (epoch ms), before any answer. */
  readonly at: number
}

export interface SessionReceiver {
  readonly url: string
  /** Verified deliveries answered with a 2xx, in the order their answers went out. */
  readonly deliveries: ReadonlyArray<ReceivedDelivery>
  /** Every verified delivery as it arrived, answered yet or not (to count attempts). */
  readonly arrivals: ReadonlyArray<ArrivedDelivery>
  readonly rejected: ReadonlyArray<RejectedDelivery>
  /** Resolves once `count` deliveries were accepted, or rejects after `timeoutMs`. */
  readonly waitFor: (count: number, timeoutMs?: number) => Promise<ReadonlyArray<ReceivedDelivery>>
  /** Resolves with the first accepted delivery `match` picks, or rejects after `timeoutMs`. */
  readonly waitForMatch: (match: (delivery: SessionDelivery) => boolean, timeoutMs?: number) => Promise<ReceivedDelivery>
  /**
   * From now on, verified deliveries `match` picks are answered only after `ms` (the others at
   * once). Returns the switch that turns it off; a delivery already waiting keeps waiting.
   */
  readonly answerAfter: (ms: number, match: (delivery: SessionDelivery) => boolean) => () => void
  readonly close: () => Promise<void>
}

export interface SessionReceiverOptions {
  readonly secret: string
  /** Status to answer a verified delivery with, by path (default 200). `"hang"` never answers. */
  readonly answer?: (path: string) => number | "hang"
  /** The loopback port to listen on (default: one the OS picks). */
  readonly port?: number
}

export const startSessionReceiver = async (options: SessionReceiverOptions): Promise<SessionReceiver> => {
  const deliveries: Array<ReceivedDelivery> = []
  const rejected: Array<RejectedDelivery> = []
  const arrivals: Array<ArrivedDelivery> = []
  const waiters = new Set<() => void>()
  const hanging = new Set<() => void>()
  const slow = new Set<{ readonly ms: number; readonly match: (delivery: SessionDelivery) => boolean }>()

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
        const delivery = JSON.parse(body) as SessionDelivery
        arrivals.push({ path, headers, body, delivery, at: Date.now() })
        const answer = () => {
          if (status >= 200 && status < 300) {
            deliveries.push({ path, headers, body, delivery })
            for (const wake of waiters) wake()
          }
          response.writeHead(status, { "content-type": "application/json" }).end(
            JSON.stringify(status < 300 ? { ok: true } : { error: `status ${status}` })
          )
        }
        const delay = Math.max(0, ...[...slow].filter((entry) => entry.match(delivery)).map((entry) => entry.ms))
        if (delay === 0) return answer()
        const timer = setTimeout(() => {
          hanging.delete(abort)
          answer()
        }, delay)
        const abort = () => {
          clearTimeout(timer)
          response.destroy()
        }
        hanging.add(abort)
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve))
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

  const waitForMatch = (match: (delivery: SessionDelivery) => boolean, timeoutMs = 15_000) =>
    new Promise<ReceivedDelivery>((resolve, reject) => {
      const check = () => {
        const found = deliveries.find((entry) => match(entry.delivery))
        if (found === undefined) return
        clearTimeout(timer)
        waiters.delete(check)
        resolve(found)
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`Expected a matching session delivery within ${timeoutMs} ms (${deliveries.length} accepted)`))
      }, timeoutMs)
      waiters.add(check)
      check()
    })

  const answerAfter = (ms: number, match: (delivery: SessionDelivery) => boolean) => {
    const entry = { ms, match }
    slow.add(entry)
    return () => void slow.delete(entry)
  }

  return {
    url: `http://127.0.0.1:${port}/sessions`,
    deliveries,
    arrivals,
    rejected,
    waitFor,
    waitForMatch,
    answerAfter,
    close: () =>
      new Promise<void>((resolve) => {
        for (const abort of hanging) abort()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
