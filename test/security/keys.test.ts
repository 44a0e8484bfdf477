/**
 * API keys over the management API: list (never the key or its hash), create (shown once),
 * revoke (refused from the next request on), rotate (the old key refused at once), each tenant
 * reaching only its own keys.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

interface Summary {
  readonly id: string
  readonly name: string
  readonly prefix: string
  readonly createdAt: number
  readonly lastUsedAt: number | null
  readonly revokedAt: number | null
}

describe("API key lifecycle", () => {
  let kernel: TestKernel
  let apiKey: string
  let other: string

  const keysOf = async (key: string): Promise<ReadonlyArray<Summary>> => {
    const response = await kernel.request("/v1/api-keys", { apiKey: key })
    expect(response.status).toBe(200)
    return (await response.json()).apiKeys
  }
  const status = async (key: string) => (await kernel.request("/v1/installations", { apiKey: key })).status
  const create = async (key: string, name: string) => {
    const response = await kernel.request("/v1/api-keys", { method: "POST", apiKey: key, body: JSON.stringify({ name }) })
    expect(response.status).toBe(201)
    return (await response.json()).apiKey as { readonly id: string; readonly prefix: string; readonly apiKey: string }
  }

  beforeAll(async () => {
    kernel = await startTestKernel()
    ;({ apiKey } = await kernel.createTenant("acme"))
    ;({ apiKey: other } = await kernel.createTenant("globex"))
  })
  afterAll(() => kernel.close())

  it("lists id, name, prefix, created and last used, never the key or its hash", async () => {
    const response = await kernel.request("/v1/api-keys", { apiKey })
    const text = await response.text()
    expect(text).not.toContain(apiKey)
    expect(text).not.toMatch(/hash|[0-9a-f]{64}/)
    const [key] = JSON.parse(text).apiKeys as ReadonlyArray<Summary>
    expect(Object.keys(key!).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "prefix", "revokedAt"])
    expect(key).toMatchObject({ name: "default", prefix: apiKey.slice(0, 10), revokedAt: null })
    // This very request used the key.
    expect(key!.lastUsedAt).toBeGreaterThanOrEqual(key!.createdAt)
  })

  it("creates a key shown once that works at once", async () => {
    const created = await create(apiKey, "ci")
    expect(created.apiKey).toMatch(/^sbk_/)
    expect(created.prefix).toBe(created.apiKey.slice(0, 10))
    expect(await status(created.apiKey)).toBe(200)
    const listed = await kernel.request("/v1/api-keys", { apiKey })
    expect(await listed.text()).not.toContain(created.apiKey)
  })

  it("refuses a revoked key from the next request on", async () => {
    const created = await create(apiKey, "leaked")
    expect(await status(created.apiKey)).toBe(200)
    const revoked = await kernel.request(`/v1/api-keys/${created.id}`, { method: "DELETE", apiKey })
    expect(revoked.status).toBe(200)
    expect(await status(created.apiKey)).toBe(401)
    expect((await keysOf(apiKey)).find((key) => key.id === created.id)?.revokedAt).toEqual(expect.any(Number))
    // Revoking twice: nothing left to revoke.
    expect((await kernel.request(`/v1/api-keys/${created.id}`, { method: "DELETE", apiKey })).status).toBe(404)
  })

  it("rotates: a new key with the same name, the old one refused at once", async () => {
    const created = await create(apiKey, "deploy")
    const rotated = await kernel.request(`/v1/api-keys/${created.id}/rotate`, { method: "POST", apiKey })
    expect(rotated.status).toBe(201)
    const fresh = (await rotated.json()).apiKey as { readonly id: string; readonly name: string; readonly apiKey: string }
    expect(fresh).toMatchObject({ name: "deploy" })
    expect(fresh.id).not.toBe(created.id)
    expect(await status(fresh.apiKey)).toBe(200)
    expect(await status(created.apiKey)).toBe(401)
    expect((await kernel.request(`/v1/api-keys/${created.id}/rotate`, { method: "POST", apiKey })).status).toBe(404)
  })

  it("reaches only the tenant's own keys", async () => {
    const mine = await create(apiKey, "mine")
    expect((await keysOf(other)).map((key) => key.id)).not.toContain(mine.id)
    expect((await kernel.request(`/v1/api-keys/${mine.id}`, { method: "DELETE", apiKey: other })).status).toBe(404)
    expect((await kernel.request(`/v1/api-keys/${mine.id}/rotate`, { method: "POST", apiKey: other })).status).toBe(404)
    expect(await status(mine.apiKey)).toBe(200)
  })

  it("needs a tenant key: no key, the admin token or a malformed body are refused", async () => {
    expect((await kernel.request("/v1/api-keys")).status).toBe(401)
    expect((await kernel.request("/v1/api-keys", { apiKey: kernel.secrets.admin })).status).toBe(401)
    const empty = await kernel.request("/v1/api-keys", { method: "POST", apiKey, body: JSON.stringify({ name: "" }) })
    expect(empty.status).toBe(400)
  })
})
