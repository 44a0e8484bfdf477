/**
 * The Console's Keys view in headless Chromium: lists the tenant's keys (prefixes only), creates
 * one shown once (gone after "Done" and from the list), and revokes it (refused at once).
 */
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchChromium } from "../console/devCommand.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { type Served, serve } from "../support/serve.ts"

describe("Console: API keys", () => {
  let kernel: TestKernel
  let served: Served
  let browser: Browser
  let page: Page
  let apiKey: string

  const status = async (key: string) => (await kernel.request("/v1/installations", { apiKey: key })).status

  beforeAll(async () => {
    kernel = await startTestKernel()
    ;({ apiKey } = await kernel.createTenant("console-keys"))
    served = await serve((request) => kernel.app.fetch(request))
    browser = await launchChromium()
    page = await browser.newPage()
    page.on("dialog", (dialog) => void dialog.accept())
    await page.goto(`${served.url}/#key=${encodeURIComponent(apiKey)}`)
    await page.getByRole("link", { name: "API keys" }).click()
  })
  afterAll(async () => {
    await browser?.close()
    await served?.close()
    await kernel.close()
  })

  it("lists the tenant's keys by prefix, never the key", async () => {
    const table = page.getByRole("table", { name: "API keys" })
    await expect.poll(() => table.getByRole("rowheader", { name: "default" }).count()).toBe(1)
    expect(await table.textContent()).toContain(`${apiKey.slice(0, 10)}…`)
    expect(await page.content()).not.toContain(apiKey)
  })

  it("creates a key, shows it once, and revokes it", async () => {
    await page.getByLabel("Name of the new key").fill("ci")
    await page.getByRole("button", { name: "Create key" }).click()
    const shown = page.getByLabel("API key", { exact: true })
    await expect.poll(() => shown.inputValue()).toMatch(/^sbk_/)
    const created = await shown.inputValue()
    expect(await status(created)).toBe(200)
    expect(await page.getByRole("table", { name: "API keys" }).textContent()).not.toContain(created)

    await page.getByRole("button", { name: "Done" }).click()
    await expect.poll(() => page.getByLabel("API key", { exact: true }).count()).toBe(0)
    expect(await page.content()).not.toContain(created)

    await page.getByRole("button", { name: "Revoke ci" }).click()
    await expect.poll(() => page.getByRole("button", { name: "Revoke ci" }).count()).toBe(0)
    expect(await status(created)).toBe(401)
    expect(await status(apiKey)).toBe(200)
  })
})
