/**
 * `serve`'s `lightGlobals`: the process's global Request and Response stay undici's unless asked
 * (an app that embeds the kernel keeps its globals); asked, as the Node entry does, Hono's stand
 * in and answers, streamed or not, still go out whole. Its own file: the change is for the
 * whole process, and vitest gives each file its own.
 */
import { afterEach, describe, expect, it } from "vitest"
import { type RunningServer, serve } from "../../runtimes/node/index.ts"

const undiciRequest = globalThis.Request
const undiciResponse = globalThis.Response

let running: RunningServer | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
})

const handler = async (request: Request) => {
  if (new URL(request.url).pathname === "/stream") {
    return new Response(new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("data: one\n\n"))
        controller.close()
      }
    }), { headers: { "content-type": "text/event-stream" } })
  }
  const headers = new Headers({ "content-type": "application/json" })
  headers.append("set-cookie", "a=1")
  headers.append("set-cookie", "b=2")
  return new Response(JSON.stringify({ body: await request.text() }), { status: 201, headers })
}

describe("serve's lightGlobals", () => {
  it("leaves the global Request and Response alone by default", async () => {
    running = await serve(handler, { port: 0, hostname: "127.0.0.1" })
    const answer = await fetch(`http://127.0.0.1:${running.port}/`, { method: "POST", body: "hi" })
    expect(await answer.json()).toEqual({ body: "hi" })
    expect(globalThis.Request).toBe(undiciRequest)
    expect(globalThis.Response).toBe(undiciResponse)
  })

  it("when asked, puts Hono's in their place, and answers still go out whole", async () => {
    running = await serve(handler, { port: 0, hostname: "127.0.0.1", lightGlobals: true })
    expect(globalThis.Response).not.toBe(undiciResponse)
    expect(globalThis.Request).not.toBe(undiciRequest)
    const answer = await fetch(`http://127.0.0.1:${running.port}/`, { method: "POST", body: "hi" })
    // What fetch returns (undici's) still counts as a Response.
    expect(answer instanceof Response).toBe(true)
    expect(answer.status).toBe(201)
    expect(answer.headers.getSetCookie()).toEqual(["a=1", "b=2"])
    expect(await answer.json()).toEqual({ body: "hi" })
    const streamed = await fetch(`http://127.0.0.1:${running.port}/stream`)
    expect(streamed.headers.get("content-type")).toBe("text/event-stream")
    expect(await streamed.text()).toBe("data: one\n\n")
  })
})
