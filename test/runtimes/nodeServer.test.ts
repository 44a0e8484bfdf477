/**
 * The Node entry's server (`serve` from switchboard/runtimes/node) around a web handler: what a
 * node:http <-> web Request/Response bridge must keep. Bodies streamed both ways (nothing read
 * before the handler asks, response chunks flushed as written), a client abort reaching
 * `request.signal`, HEAD, keep-alive, many and repeated headers, `stop` letting requests in
 * flight finish, a throwing handler answered 500 without its stack, port 0, and the kernel's 413
 * for a body over its limit answered before the body has even been sent.
 */
import { request as httpRequest, Agent, type IncomingHttpHeaders } from "node:http"
import { connect } from "node:net"
import { afterEach, describe, expect, it, vi } from "vitest"
import { type RunningServer, serve, type WebHandler } from "../../runtimes/node/index.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

interface Answer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

const send = (
  port: number,
  options: { readonly method?: string; readonly path?: string; readonly headers?: Record<string, string | Array<string>>; readonly body?: string; readonly agent?: Agent }
): Promise<Answer & { readonly reusedSocket: boolean; readonly localPort: number | undefined }> =>
  new Promise((resolve, reject) => {
    const request = httpRequest({
      host: "127.0.0.1",
      port,
      method: options.method ?? "GET",
      path: options.path ?? "/",
      headers: options.headers ?? {},
      ...(options.agent === undefined ? {} : { agent: options.agent })
    }, (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
          reusedSocket: request.reusedSocket,
          localPort: request.socket?.localPort
        }))
      response.on("error", reject)
    })
    request.on("error", reject)
    request.end(options.body)
  })

/** Resolves when `promise` has, or with "pending" after `ms`: a step that must not have happened yet. */
const settledWithin = <A>(promise: Promise<A>, ms: number): Promise<A | "pending"> =>
  Promise.race([promise, new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), ms))])

const deferred = <A = void>() => {
  let resolve!: (value: A) => void
  const promise = new Promise<A>((done) => {
    resolve = done
  })
  return { promise, resolve }
}

let running: Array<RunningServer> = []
const start = async (handler: WebHandler): Promise<RunningServer> => {
  const server = await serve(handler, { port: 0, hostname: "127.0.0.1" })
  running.push(server)
  return server
}

afterEach(async () => {
  await Promise.all(running.map((server) => server.stop()))
  running = []
  vi.restoreAllMocks()
})

describe("the Node server around a web handler", () => {
  it("port 0 listens on the port it picked and says which", async () => {
    const server = await start(async (request) => new Response(`${request.method} ${new URL(request.url).pathname}`))
    expect(server.port).toBeGreaterThan(0)
    const answer = await send(server.port, { path: "/hello?x=1" })
    expect(answer.status).toBe(200)
    expect(answer.body).toBe("GET /hello")
  })

  it("streams the request body: the handler reads the first chunk before the client sends the rest", { timeout: 10_000 }, async () => {
    const firstRead = deferred<string>()
    const server = await start(async (request) => {
      const reader = request.body!.getReader()
      const decoder = new TextDecoder()
      let text = ""
      while (true) {
        const chunk = await reader.read()
        if (chunk.done) break
        text += decoder.decode(chunk.value, { stream: true })
        firstRead.resolve(text)
      }
      return new Response(`read ${text}`)
    })
    const answer = deferred<Answer>()
    const request = httpRequest({ host: "127.0.0.1", port: server.port, method: "POST", path: "/", headers: { "transfer-encoding": "chunked" } }, (response) => {
      let body = ""
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString()
      })
      response.on("end", () => answer.resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    })
    request.write("first;")
    // A server that buffered the whole body would call the handler only after `end`: never, here.
    expect(await settledWithin(firstRead.promise, 5_000)).toBe("first;")
    request.end("second")
    expect((await answer.promise).body).toBe("read first;second")
  })

  it("aborts request.signal when the client goes away", { timeout: 10_000 }, async () => {
    const started = deferred()
    const aborted = deferred<boolean>()
    const server = await start((request) => {
      request.signal.addEventListener("abort", () => aborted.resolve(true))
      started.resolve()
      // Answers once aborted (nobody reads it), or late, so that `stop` never waits on it for long.
      return Promise.race([aborted.promise, new Promise((resolve) => setTimeout(resolve, 6_000))]).then(() => new Response("late"))
    })
    const request = httpRequest({ host: "127.0.0.1", port: server.port, path: "/slow" })
    request.on("error", () => {})
    request.end()
    await started.promise
    request.destroy()
    expect(await settledWithin(aborted.promise, 5_000)).toBe(true)
  })

  it("flushes a streamed response chunk by chunk (text/event-stream)", { timeout: 10_000 }, async () => {
    const clientGotFirst = deferred()
    const encoder = new TextEncoder()
    const server = await start(async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode("data: one\n\n"))
            // The second event waits for the client to have the first: a buffered response never sends it.
            await clientGotFirst.promise
            controller.enqueue(encoder.encode("data: two\n\n"))
            controller.close()
          }
        }),
        { headers: { "content-type": "text/event-stream" } }
      )
    )
    const response = await fetch(`http://127.0.0.1:${server.port}/mcp`)
    expect(response.headers.get("content-type")).toBe("text/event-stream")
    const reader = response.body!.getReader()
    const first = await settledWithin(reader.read(), 5_000)
    expect(first === "pending" ? "pending" : new TextDecoder().decode(first.value)).toBe("data: one\n\n")
    clientGotFirst.resolve()
    let rest = ""
    while (true) {
      const chunk = await reader.read()
      if (chunk.done) break
      rest += new TextDecoder().decode(chunk.value)
    }
    expect(rest).toBe("data: two\n\n")
  })

  it("answers HEAD with the headers and no body, and keeps the connection for the next request", async () => {
    const server = await start(async (request) => new Response(request.method === "HEAD" ? "hello" : "world", { headers: { "x-kind": request.method } }))
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const head = await send(server.port, { method: "HEAD", agent })
      expect(head.status).toBe(200)
      expect(head.headers["x-kind"]).toBe("HEAD")
      expect(head.body).toBe("")
      const get = await send(server.port, { agent })
      expect(get.body).toBe("world")
      expect(get.reusedSocket).toBe(true)
      expect(get.localPort).toBe(head.localPort)
    } finally {
      agent.destroy()
    }
  })

  it("keeps a connection alive across requests with bodies", async () => {
    const server = await start(async (request) => new Response(`got ${(await request.text()).length}`))
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const answers: Array<Awaited<ReturnType<typeof send>>> = []
      for (let index = 0; index < 5; index++) answers.push(await send(server.port, { method: "POST", body: "x".repeat(8192 * index), agent }))
      expect(answers.map((answer) => answer.body)).toEqual(["got 0", "got 8192", "got 16384", "got 24576", "got 32768"])
      expect(answers.slice(1).every((answer) => answer.reusedSocket && answer.localPort === answers[0]!.localPort)).toBe(true)
    } finally {
      agent.destroy()
    }
  })

  it("passes many request headers, repeated ones joined, and sends every set-cookie", async () => {
    const server = await start(async (request) => {
      const headers = new Headers({ "content-type": "application/json" })
      for (const name of ["a=1", "b=2; Path=/", "c=3; HttpOnly"]) headers.append("set-cookie", name)
      return new Response(
        JSON.stringify({ count: [...request.headers.keys()].filter((name) => name.startsWith("x-h-")).length, h42: request.headers.get("x-h-42"), repeated: request.headers.get("x-repeated") }),
        { headers }
      )
    })
    const headers: Record<string, string | Array<string>> = { "x-repeated": ["one", "two"] }
    for (let index = 0; index < 120; index++) headers[`x-h-${index}`] = `value-${index}`
    const answer = await send(server.port, { headers })
    expect(JSON.parse(answer.body)).toEqual({ count: 120, h42: "value-42", repeated: "one, two" })
    expect(answer.headers["set-cookie"]).toEqual(["a=1", "b=2; Path=/", "c=3; HttpOnly"])
  })

  it("stop() refuses new connections and lets a request in flight finish", { timeout: 10_000 }, async () => {
    const entered = deferred()
    const release = deferred()
    const server = await start(async () => {
      entered.resolve()
      await release.promise
      return new Response("finished")
    })
    const inFlight = send(server.port, { path: "/slow" })
    await entered.promise
    const stopped = server.stop()
    await expect(send(server.port, {})).rejects.toMatchObject({ code: "ECONNREFUSED" })
    expect(await settledWithin(stopped, 200)).toBe("pending")
    release.resolve()
    const answer = await inFlight
    expect(answer.status).toBe(200)
    expect(answer.body).toBe("finished")
    // The finished request's connection (kept alive by the client) does not hold the stop back.
    expect(await settledWithin(stopped, 1_000)).toBeUndefined()
  })

  it("answers a handler that throws or rejects with a 500 JSON that holds no stack trace", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {})
    const server = await start((request) => {
      if (new URL(request.url).pathname === "/sync") throw new Error("boom at secret/path.ts:12")
      return Promise.reject(new Error("boom at secret/path.ts:34"))
    })
    for (const path of ["/sync", "/async"]) {
      const answer = await send(server.port, { path })
      expect(answer.status).toBe(500)
      expect(answer.headers["content-type"]).toBe("application/json")
      expect(JSON.parse(answer.body)).toEqual({ error: { reason: "Internal", message: "Internal error" } })
      expect(answer.body).not.toContain("boom")
    }
    // The cause goes to the server's log instead.
    expect(logged).toHaveBeenCalledTimes(2)
  })

  it("answers a request it cannot make a URL of (no Host) with a 400, not a handler error", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {})
    const server = await start(async () => new Response("never"))
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, "127.0.0.1")
      let received = ""
      socket.on("data", (data: Buffer) => {
        received += data.toString()
      })
      socket.on("end", () => resolve(received))
      socket.on("error", reject)
      socket.end("GET / HTTP/1.0\r\n\r\n")
    })
    expect(answer).toMatch(/^HTTP\/1\.1 400/)
    expect(answer).toContain("\"reason\":\"BadRequest\"")
    expect(logged).not.toHaveBeenCalled()
  })
})

describe("the Node server around the kernel", () => {
  let kernel: TestKernel | undefined
  afterEach(async () => {
    await kernel?.close()
    kernel = undefined
  })

  const LIMIT = 64 * 1024

  /** Sends `head`, then body pieces until the server answers; the first line and body of its answer. */
  const rawPost = (port: number, head: string, piece: (index: number) => Buffer, pieces: number) =>
    new Promise<{ readonly statusLine: string; readonly body: string; readonly sent: number }>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1")
      let received = ""
      let sent = 0
      let answered = false
      socket.on("data", (data: Buffer) => {
        received += data.toString()
        const end = received.indexOf("\r\n\r\n")
        if (end < 0 || answered) return
        answered = true
        setTimeout(() => {
          socket.destroy()
          resolve({ statusLine: received.slice(0, received.indexOf("\r\n")), body: received.slice(end + 4), sent })
        }, 100)
      })
      socket.on("error", (error) => {
        if (!answered) reject(error)
      })
      socket.write(head)
      const next = () => {
        if (answered || socket.destroyed || sent >= pieces) return
        socket.write(piece(sent++))
        setTimeout(next, 5)
      }
      next()
    })

  it("answers 413 to a declared body over the limit before the client has sent it", { timeout: 30_000 }, async () => {
    kernel = await startTestKernel({ env: { SWITCHBOARD_MAX_BODY_BYTES: String(LIMIT) } })
    const app = kernel.app
    const server = await start((request) => app.fetch(request))
    // 16 MB declared, 16 KB pieces, at most 64 of them (1 MB): the answer must come first.
    const answer = await rawPost(
      server.port,
      `POST /webhook/linear HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${16 * 1024 * 1024}\r\n\r\n`,
      () => Buffer.alloc(16 * 1024, 0x20),
      64
    )
    expect(answer.statusLine).toMatch(/^HTTP\/1\.1 413/)
    expect(answer.body).toContain("TooLarge")
    expect(answer.sent).toBeLessThan(64)
  })

  it("answers 413 to a chunked body once it runs over the limit, without waiting for its end", { timeout: 30_000 }, async () => {
    kernel = await startTestKernel({ env: { SWITCHBOARD_MAX_BODY_BYTES: String(LIMIT) } })
    const app = kernel.app
    const server = await start((request) => app.fetch(request))
    const size = 16 * 1024
    const answer = await rawPost(
      server.port,
      "POST /webhook/linear HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
      () => Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), Buffer.alloc(size, 0x20), Buffer.from("\r\n")]),
      64
    )
    expect(answer.statusLine).toMatch(/^HTTP\/1\.1 413/)
    expect(answer.body).toContain("TooLarge")
    // Over the limit after five pieces; the body never ends (no last chunk is ever sent).
    expect(answer.sent).toBeLessThan(64)
  })
})
