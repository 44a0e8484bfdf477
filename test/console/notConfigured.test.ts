/**
 * The Console offers only what this deployment's settings make work. With no Jira, Slack or
 * GitHub settings and Linear's OAuth client unset, no "Install …" button shows: each card says
 * which variables to set, Jira still offers its credential form, and Slack and GitHub their
 * tenant's own app. With Linear configured, its install button is back, and the publish form
 * starts on Linear's natural unit (issue), not its first granularity (workspace).
 *
 * The kernel runs in-process (test/support/kernel.ts), served on a loopback port for Chromium.
 */
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"
import { serve, type Served } from "../support/serve.ts"
import { launchChromium } from "./devCommand.ts"

let browser: Browser
const opened: Array<{ kernel: TestKernel; served: Served }> = []
const pageErrors: Array<string> = []

beforeAll(async () => {
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  expect(pageErrors, "script errors in the Console").toEqual([])
  await browser?.close()
  for (const { kernel, served } of opened) {
    await served.close()
    await kernel.close()
  }
})

/** A kernel with these settings, and the Console signed in to a new tenant on it. */
const consoleWith = async (env: Record<string, string>) => {
  const kernel = await startTestKernel({ env })
  const served = await serve((request) => kernel.app.fetch(request))
  opened.push({ kernel, served })
  const { apiKey } = await kernel.createTenant("acme")
  const open = async (): Promise<Page> => {
    const page = await browser.newPage()
    page.on("pageerror", (error) => void pageErrors.push(error.message))
    await page.goto(`${served.url}/#key=${encodeURIComponent(apiKey)}`)
    await page.getByRole("link", { name: "Integrations" }).waitFor()
    return page
  }
  return { kernel, apiKey, open }
}

const card = (page: Page, name: string) => page.getByRole("article", { name })

describe("a provider that is not configured", () => {
  it("shows no install button, says which variables to set, and keeps what works", async () => {
    const { open } = await consoleWith({ LINEAR_CLIENT_ID: "", LINEAR_CLIENT_SECRET: "" })
    const page = await open()
    await card(page, "Jira").waitFor()
    for (const name of ["Linear", "Slack", "GitHub", "Jira"]) {
      expect(await page.getByRole("button", { name: `Install ${name}` }).count(), `Install ${name}`).toBe(0)
    }
    const jira = card(page, "Jira")
    await expect(jira.locator(".not-configured").textContent()).resolves.toBe(
      "Installing with OAuth is not configured on this deployment: set JIRA_CLIENT_ID and JIRA_CLIENT_SECRET in its environment and restart it."
    )
    // The credential paste needs no deployment setting: its form stays.
    await expect(jira.getByRole("button", { name: "Connect Jira" }).isVisible()).resolves.toBe(true)
    await expect(jira.getByLabel("API token").isVisible()).resolves.toBe(true)
    await expect(card(page, "Linear").locator(".not-configured").textContent()).resolves.toContain("set LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET")
    const github = card(page, "GitHub")
    await expect(github.locator(".not-configured").textContent()).resolves.toContain(
      "set GITHUB_APP_ID, GITHUB_APP_SLUG, GITHUB_APP_PRIVATE_KEY, GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET"
    )
    await expect(github.locator(".not-configured").textContent()).resolves.toContain("Or use your own app below.")
    await expect(github.getByText("Use your own GitHub app").isVisible()).resolves.toBe(true)
    await expect(card(page, "Slack").locator(".not-configured").textContent()).resolves.toContain("set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    await page.close()
  }, 60_000)
})

describe("a configured provider", () => {
  it("offers its install button, and the publish form starts on its natural unit", async () => {
    const { kernel, apiKey, open } = await consoleWith({})
    await kernel.installLinear(apiKey)
    const page = await open()
    const linear = card(page, "Linear")
    await expect(linear.getByRole("button", { name: "Install Linear" }).isVisible()).resolves.toBe(true)
    expect(await linear.locator(".not-configured").count()).toBe(0)
    await page.getByRole("link", { name: "Publications" }).click()
    await page.getByRole("heading", { name: "Publish an agent" }).waitFor()
    await expect(page.getByLabel(/Granularity/).inputValue()).resolves.toBe("issue")
    await page.close()
  }, 60_000)
})
