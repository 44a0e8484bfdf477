/**
 * `/mcp` before any MCP: Host and Origin against the allowlist (the public URL's, plus
 * SWITCHBOARD_MCP_ALLOWED_HOSTS / _ORIGINS), refused with 403 even with a valid token (DNS
 * rebinding); then the bearer session token, refused with 401 and `WWW-Authenticate: Bearer`.
 * Stateless: GET and DELETE are 405.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PUBLIC_URL, startTestKernel, type TestKernel } from "../support/kernel.ts"
import { type McpWorld, startMcpWorld } from "./world.ts"

const initialize = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "probe", version: "1.0.0" } }
})

const post = (kernel: TestKernel, headers: Record<string, string>, body = initialize) =>
  kernel.app.fetch(
    new Request(`${PUBLIC_URL}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
      body
    })
  )

describe("/mcp Host, Origin and token checks", () => {
  let mcp: McpWorld
  let configured: TestKernel
  let bearer: string

  beforeAll(async () => {
    mcp = await startMcpWorld()
    bearer = `Bearer ${mcp.full.mcp.token}`
    configured = await startTestKernel({
      env: {
        SWITCHBOARD_MCP_ALLOWED_HOSTS: "localhost, 127.0.0.1:8787",
        SWITCHBOARD_MCP_ALLOWED_ORIGINS: "https://console.example.com"
      }
    })
  })
  afterAll(async () => {
    await mcp.world.kernel.close()
    await configured.close()
  })

  it("a foreign Host or Origin is 403 even with a valid token; the public URL's pass", async () => {
    const kernel = mcp.world.kernel
    const ok = await post(kernel, { authorization: bearer, host: "switchboard.test" })
    expect(ok.status, await ok.clone().text()).toBe(200)
    const sameOrigin = await post(kernel, { authorization: bearer, host: "switchboard.test", origin: "http://switchboard.test" })
    expect(sameOrigin.status).toBe(200)

    const refusals: Array<[string, Record<string, string>]> = [
      ["rebound Host", { host: "evil.example.com" }],
      ["rebound Host with port", { host: "evil.example.com:8787" }],
      ["rebound Host and Origin", { host: "evil.example.com", origin: "http://evil.example.com" }],
      ["foreign Origin", { host: "switchboard.test", origin: "http://evil.example.com" }],
      ["same host, other scheme", { host: "switchboard.test", origin: "https://switchboard.test" }],
      ["null Origin", { host: "switchboard.test", origin: "null" }],
      ["localhost not configured", { host: "localhost" }]
    ]
    for (const [what, headers] of refusals) {
      const response = await post(kernel, { authorization: bearer, ...headers })
      expect(response.status, what).toBe(403)
      expect(await response.json(), what).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 }, id: null })
    }
    // Refused before the token is read: no valid token needed to be turned away.
    expect((await post(kernel, { host: "evil.example.com" })).status).toBe(403)
  })

  it("configured hosts (any port) and origins are allowed, others still refused", async () => {
    for (const host of ["localhost", "localhost:3000", "127.0.0.1:9999", "switchboard.test"]) {
      const response = await post(configured, { host })
      // Past the allowlist: the missing token is what stops it.
      expect(response.status, host).toBe(401)
    }
    expect((await post(configured, { host: "localhost", origin: "https://console.example.com" })).status).toBe(401)
    expect((await post(configured, { host: "localhost", origin: "http://console.example.com" })).status).toBe(403)
    expect((await post(configured, { host: "evil.example.com" })).status).toBe(403)
    expect((await post(configured, { host: "localhost.evil.example.com" })).status).toBe(403)
  })

  it("a missing or bad token is 401 with WWW-Authenticate: Bearer", async () => {
    const kernel = mcp.world.kernel
    const missing = await post(kernel, {})
    expect(missing.status).toBe(401)
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer realm="switchboard"$/)
    expect(await missing.json()).toMatchObject({ error: { reason: "Missing" } })

    const token = mcp.full.mcp.token
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`
    for (const authorization of [`Bearer ${tampered}`, "Bearer not-a-token", `Basic ${token}`]) {
      const response = await post(kernel, { authorization })
      expect(response.status, authorization.slice(0, 12)).toBe(401)
      expect(response.headers.get("www-authenticate"), authorization.slice(0, 12)).toMatch(/^Bearer /)
    }
    expect((await post(kernel, { authorization: "Bearer not-a-token" })).headers.get("www-authenticate")).toContain(
      `error="invalid_token"`
    )
  })

  it("GET and DELETE are 405: the endpoint is stateless", async () => {
    for (const method of ["GET", "DELETE"]) {
      const response = await mcp.world.kernel.request("/mcp", { method, headers: { authorization: bearer } })
      expect(response.status, method).toBe(405)
    }
  })
})
