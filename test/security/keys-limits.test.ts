/**
 * Failed authentications are limited (429 with Retry-After): per client when a trusted header
 * names it (that client refused outright, valid key or not, others unaffected), per tenant aimed
 * at (failures answered 429, the tenant's valid keys still working), and on the admin routes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

const LIMIT = 5

describe("authentication failure limits", () => {
  let kernel: TestKernel

  const from = (ip: string, key: string, path = "/v1/installations") =>
    kernel.request(path, { apiKey: key, headers: { "x-real-ip": ip } })
  const wrongKey = (prefix = "sbk_zzzzzz") => `${prefix}${crypto.randomUUID().replace(/-/g, "")}`

  beforeAll(async () => {
    kernel = await startTestKernel({
      env: { SWITCHBOARD_AUTH_FAILURES_PER_MINUTE: String(LIMIT), SWITCHBOARD_CLIENT_IP_HEADER: "X-Real-IP" }
    })
  })
  afterAll(() => kernel.close())

  it("refuses a client past its failures, valid key or not, and no other client", async () => {
    const { apiKey } = await kernel.createTenant("acme")
    for (let attempt = 0; attempt < LIMIT; attempt++) expect((await from("198.51.100.1", wrongKey())).status).toBe(401)
    const refused = await from("198.51.100.1", wrongKey())
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
    expect((await refused.json()).error.reason).toBe("RateLimited")
    expect((await from("198.51.100.1", apiKey)).status).toBe(429)
    expect((await from("198.51.100.2", apiKey)).status).toBe(200)
    expect((await from("198.51.100.2", wrongKey())).status).toBe(401)
  })

  it("limits failures aimed at one tenant from many clients, and its valid keys keep working", async () => {
    const { apiKey } = await kernel.createTenant("target")
    const prefix = apiKey.slice(0, 10)
    for (let attempt = 0; attempt < LIMIT; attempt++) {
      expect((await from(`203.0.113.${attempt}`, wrongKey(prefix))).status).toBe(401)
    }
    expect((await from("203.0.113.100", wrongKey(prefix))).status).toBe(429)
    expect((await from("203.0.113.101", apiKey)).status).toBe(200)
    // Another tenant's failures are its own.
    expect((await from("203.0.113.102", wrongKey())).status).toBe(401)
  })

  it("limits wrong admin tokens", async () => {
    const body = JSON.stringify({ name: "x" })
    const attempt = (token: string) =>
      kernel.request("/v1/tenants", { method: "POST", apiKey: token, body, headers: { "x-real-ip": "192.0.2.7" } })
    for (let index = 0; index < LIMIT; index++) expect((await attempt(`wrong-${index}`)).status).toBe(401)
    const refused = await attempt("wrong-again")
    expect(refused.status).toBe(429)
    expect(refused.headers.get("retry-after")).not.toBeNull()
    expect((await attempt(kernel.secrets.admin)).status).toBe(429)
  })

  it("without a trusted address, failures are limited together and valid keys still pass", async () => {
    const { apiKey } = await kernel.createTenant("anonymous")
    const anonymous = (key: string) => kernel.request("/v1/installations", { apiKey: key })
    let statuses: Array<number> = []
    for (let attempt = 0; attempt <= LIMIT; attempt++) statuses = [...statuses, (await anonymous(wrongKey())).status]
    expect(statuses.at(-1)).toBe(429)
    expect((await anonymous(apiKey)).status).toBe(200)
  })
})
