/**
 * An install's refused return URL names the origin it saw and the variables that would admit it,
 * so the person who reads the 400 knows which setting to change.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PUBLIC_URL, startTestKernel, type TestKernel } from "../support/kernel.ts"

let kernel: TestKernel
beforeAll(async () => {
  kernel = await startTestKernel({ env: { SWITCHBOARD_RETURN_URLS: "https://app.example" } })
})
afterAll(() => kernel.close())

describe("a return URL off the allowlist", () => {
  it("is refused naming the origin, SWITCHBOARD_PUBLIC_URL and SWITCHBOARD_RETURN_URLS", async () => {
    const { apiKey } = await kernel.createTenant("acme")
    const refused = await kernel.request(
      `/install/linear?returnUrl=${encodeURIComponent("http://localhost:9787/console")}`,
      { apiKey }
    )
    expect(refused.status).toBe(400)
    const { error } = await refused.json()
    expect(error.reason).toBe("ReturnUrlNotAllowed")
    expect(error.message).toContain("The return URL's origin is not on the allowlist")
    expect(error.message).toBe(
      `The return URL's origin is not on the allowlist: http://localhost:9787 is neither SWITCHBOARD_PUBLIC_URL's origin (${PUBLIC_URL}) nor listed in SWITCHBOARD_RETURN_URLS (https://app.example)`
    )
  })
})
