/**
 * A refused webhook leaves a trace: its access-log line (captured from the logger, not printed)
 * names the provider, the status and the reason, and the rejected list keeps it with its headers,
 * the signature redacted and the body nowhere. A tenant sees the refusals that name it; the
 * operator (admin token) sees every provider's.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { captureLogLines, type LogLine } from "../support/logLines.ts"


const accessLines = (lines: ReadonlyArray<LogLine>) =>
  lines.filter((line) => JSON.stringify(line.message).includes("http request"))

describe("rejected webhooks", () => {
  let kernel: TestKernel
  const lines: Array<LogLine> = []
  beforeAll(async () => {
    captureLogLines(lines)
    kernel = await startTestKernel({ env: { SWITCHBOARD_ACCESS_LOG: "on" } })
  })
  afterAll(async () => {
    await kernel.close()
    vi.restoreAllMocks()
  })

  it("logs a refused webhook and keeps it, without its body or signature", async () => {
    const response = await kernel.linearWebhook(
      { type: "Issue", action: "create", data: { id: "secret-body-marker" } },
      { secret: "not-the-secret", deliveryId: "delivery-refused-1" }
    )
    expect(response.status).toBe(401)

    const line = accessLines(lines).find((entry) => entry.annotations["path"] === "/webhook/linear")
    expect(line?.annotations).toMatchObject({ method: "POST", status: 401, providerId: "linear", reason: "BadSignature" })
    expect(typeof line?.annotations["durationMs"]).toBe("number")

    const listed = await kernel.request("/v1/admin/webhooks/rejected?provider=linear", { apiKey: kernel.secrets.admin })
    expect(listed.status).toBe(200)
    const body = await listed.json()
    expect(body.rejected).toHaveLength(1)
    const [entry] = body.rejected
    expect(entry).toMatchObject({ providerId: "linear", path: "/webhook/linear", status: 401, reason: "BadSignature", tenantId: "_unrouted" })
    expect(entry.headers["linear-signature"]).toBe("[redacted]")
    expect(entry.headers["linear-delivery"]).toBe("delivery-refused-1")
    expect(JSON.stringify(body)).not.toContain("secret-body-marker")
  })

  it("logs an accepted webhook with its correlation id, and keeps nothing", async () => {
    const response = await kernel.linearWebhook({ type: "Issue", action: "create", data: { id: "i1" } }, { deliveryId: "delivery-ok-1" })
    expect(response.status).toBe(200)
    const line = accessLines(lines).find((entry) => entry.annotations["correlationId"] === "delivery-ok-1")
    expect(line?.annotations).toMatchObject({ path: "/webhook/linear", status: 200, providerId: "linear" })
    expect(line?.annotations["reason"]).toBeUndefined()
    const body = await (await kernel.request("/v1/admin/webhooks/rejected?provider=linear", { apiKey: kernel.secrets.admin })).json()
    expect(body.rejected).toHaveLength(1)
  })

  it("keeps paths no provider serves under `unknown`, and never shows a tenant another's", async () => {
    expect((await kernel.request("/webhook/nosuch", { method: "POST", body: "{}" })).status).toBe(404)
    const all = await (await kernel.request("/v1/admin/webhooks/rejected?provider=unknown", { apiKey: kernel.secrets.admin })).json()
    expect(all.rejected).toMatchObject([{ providerId: "unknown", path: "/webhook/nosuch", status: 404, reason: "UnknownProvider" }])

    const { apiKey } = await kernel.createTenant("acme")
    const own = await (await kernel.request("/v1/webhooks/rejected", { apiKey })).json()
    expect(own.rejected).toEqual([])
    // A tenant key is not the admin token.
    expect((await kernel.request("/v1/admin/webhooks/rejected", { apiKey })).status).toBe(401)
  })
})

describe("the access log set to errors", () => {
  const lines: Array<LogLine> = []
  it("logs refusals only", async () => {
    captureLogLines(lines)
    const kernel = await startTestKernel({ env: { SWITCHBOARD_ACCESS_LOG: "errors" } })
    try {
      expect((await kernel.linearWebhook({ type: "Issue" }, { deliveryId: "errors-ok" })).status).toBe(200)
      expect((await kernel.linearWebhook({ type: "Issue" }, { secret: "wrong" })).status).toBe(401)
      expect(accessLines(lines).map((line) => line.annotations["status"])).toEqual([401])
    } finally {
      await kernel.close()
      vi.restoreAllMocks()
    }
  })
})
