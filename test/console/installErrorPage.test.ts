/**
 * A browser that opens an install link that cannot work gets a page a person can act on: what
 * went wrong, what to do, and a link back to the Console, under the default CSP; a script asking
 * the same route (no `text/html` in Accept) keeps the JSON answer. In Chromium, against the
 * in-process kernel served on loopback (test/support/kernel.ts).
 */
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { serve, type Served } from "../support/serve.ts"
import { launchChromium } from "./devCommand.ts"

let browser: Browser
let kernel: TestKernel
let served: Served
let apiKey: string

beforeAll(async () => {
  browser = await launchChromium()
  // Slack has no settings here: installing it cannot work.
  kernel = await startTestKernel()
  served = await serve((request) => kernel.app.fetch(request))
  apiKey = (await kernel.createTenant("acme")).apiKey
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await served?.close()
  await kernel?.close()
})

const ticketFor = async (providerId: string): Promise<string> => {
  const response = await fetch(`${served.url}/v1/install-tickets`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ providerId })
  })
  expect(response.status).toBe(201)
  return (await response.json()).ticket
}

/** Opens the URL as a person would; returns the page and the navigation's response. */
const open = async (path: string) => {
  const page: Page = await browser.newPage()
  const response = await page.goto(`${served.url}${path}`)
  return { page, response: response! }
}

describe("install error pages", () => {
  it("an unconfigured provider's install link: a page naming the settings, and the way back to the Console", async () => {
    const { page, response } = await open(`/install/slack?ticket=${encodeURIComponent(await ticketFor("slack"))}`)
    expect(response.status()).toBe(503)
    expect(response.headers()["content-type"]).toContain("text/html")
    expect(response.headers()["content-security-policy"]).toContain("default-src 'none'")
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("This integration is not set up here")
    await expect(page.locator("#message").textContent()).resolves.toContain("SLACK_CLIENT_ID")
    await page.getByRole("link", { name: "Open the Console" }).click()
    await page.waitForURL(`${served.url}/`)
    // This browser has no key yet: the Console asks for one.
    await page.getByRole("heading", { name: "Sign in with a tenant API key" }).waitFor()
    await page.close()
  }, 60_000)

  it("a used or forged install link: a page saying to start again from the Console", async () => {
    const { page, response } = await open("/install/linear?ticket=forged")
    expect(response.status()).toBe(401)
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Open this from the Console")
    await expect(page.getByText("Press Install in the Console again").isVisible()).resolves.toBe(true)
    expect(await page.getByRole("link", { name: "Open the Console" }).getAttribute("href")).toBe("/")
    await page.close()
  }, 60_000)

  it("scripts asking the same routes keep the JSON answer", async () => {
    const response = await fetch(`${served.url}/install/slack?ticket=${encodeURIComponent(await ticketFor("slack"))}`)
    expect(response.status).toBe(503)
    expect((await response.json()).error.reason).toBe("NotConfigured")
    const forged = await fetch(`${served.url}/install/linear?ticket=forged`, { headers: { accept: "application/json" } })
    expect(forged.status).toBe(401)
    expect((await forged.json()).error.reason).toBe("Unauthorized")
  })
})
