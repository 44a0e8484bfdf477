/**
 * Acceptance 1 of "the first five minutes", tried as a new user would: `npm run dev`, then the
 * Console in headless Chromium: install the provider through the sandbox consent page, publish
 * an agent, press "Simulate", and see the delivery succeed and the demo agent's reply appear in
 * the sandbox (on the page, and in the fake itself). Then the CLI against the same instance, a
 * restart (the data and the sandbox's grants persist), the correlation id in the JSON logs, and
 * a narrow screen. Screenshots go to test-artifacts/console/.
 *
 * One block per provider with a sandbox; its script says how a person gets to Switchboard's
 * hand-off page (then Continue to the vendor's consent or install page) and approves there.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { sandboxAdapter } from "../../sandbox/dev/SandboxAdapters.ts"
import { repoRoot } from "../matrix/processes.ts"
import { artifacts, type DevCommand, launchChromium, startDevCommand } from "./devCommand.ts"

interface ProviderScript {
  readonly id: string
  readonly displayName: string
  /** From the Integrations page to Switchboard's hand-off page before the vendor's (the fake's) consent. */
  readonly start: (page: Page) => Promise<void>
  /** Approves there; the vendor sends the browser back to Switchboard. */
  readonly approve: (page: Page) => Promise<void>
  /** The simulated event the CLI sends after the Console's. */
  readonly cliEvent: string
}

const scripts: ReadonlyArray<ProviderScript> = [
  {
    id: "linear",
    displayName: "Linear",
    start: (page) => page.getByRole("button", { name: "Install Linear" }).click(),
    approve: (page) => page.getByRole("button", { name: "Authorize" }).click(),
    cliEvent: "mention"
  },
  {
    id: "slack",
    displayName: "Slack",
    start: (page) => page.getByRole("button", { name: "Install Slack" }).click(),
    approve: (page) => page.getByRole("button", { name: "Allow" }).click(),
    cliEvent: "dm"
  },
  {
    // Each tenant makes its own GitHub App from a manifest, then installs it.
    id: "github",
    displayName: "GitHub",
    start: async (page) => {
      await page.getByText("Use your own GitHub app").click()
      await page.getByRole("button", { name: "Create the app on GitHub" }).click()
    },
    approve: (page) => page.getByRole("link", { name: /^Install on / }).click(),
    cliEvent: "label"
  },
  {
    id: "jira",
    displayName: "Jira",
    start: (page) => page.getByRole("button", { name: "Install Jira" }).click(),
    approve: (page) => page.getByRole("button", { name: "Accept" }).click(),
    cliEvent: "mention"
  }
]

const dataDir = mkdtempSync(join(tmpdir(), "switchboard-first-five-"))
let dev: DevCommand
let browser: Browser
const pageErrors: Array<string> = []

beforeAll(async () => {
  ;[dev, browser] = await Promise.all([startDevCommand({ dataDir, name: "dev-first-start" }), launchChromium()])
}, 120_000)

afterAll(async () => {
  expect(pageErrors, "script errors in the Console").toEqual([])
  await browser?.close()
  await dev?.stop()
  rmSync(dataDir, { recursive: true, force: true })
}, 30_000)

const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true })

const sandboxUrl = async (providerId: string): Promise<string> => {
  const info: { providers: Array<{ id: string; url: string }> } = await (await fetch(`${dev.publicUrl}/_sandbox`)).json()
  const entry = info.providers.find((provider) => provider.id === providerId)
  if (entry === undefined) throw new Error(`no sandbox for ${providerId}`)
  return entry.url
}

const openConsole = async (width = 1280): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width, height: 900 } })
  const page = await context.newPage()
  page.on("pageerror", (error) => void pageErrors.push(error.message))
  await page.goto(dev.consoleUrl)
  await page.getByRole("link", { name: "Integrations" }).waitFor()
  return page
}

describe.each(scripts)("the first five minutes with $displayName", (script) => {
  let page: Page

  it("opens the Console signed in through the printed link, without the key in the address bar", async () => {
    page = await openConsole()
    expect(page.url()).not.toContain("sbk_")
    expect(page.url()).toMatch(/#integrations$/)
    await expect(page.getByRole("heading", { name: script.displayName, level: 3 }).isVisible()).resolves.toBe(true)
    await shot(page, `${script.id}-01-integrations`)
  })

  it("installs through the sandbox consent page and comes back to the Console", async () => {
    await script.start(page)
    // Switchboard's hand-off page names what is being connected before the vendor's consent.
    await page.waitForURL((url) => url.origin === dev.publicUrl && url.pathname === `/install/${script.id}`)
    await page.getByRole("heading", { name: `Connect ${script.displayName} to Switchboard` }).waitFor()
    await shot(page, `${script.id}-02-hand-off`)
    await page.getByRole("link", { name: `Continue to ${script.displayName}` }).click()
    // The vendor's (the fake's) consent or install page, on its own origin.
    await page.waitForURL((url) => url.origin !== dev.publicUrl && /authorize|installations\/new/.test(url.pathname))
    // An install ticket, never the API key, travelled in the URLs.
    expect(page.url()).not.toContain("sbk_")
    await shot(page, `${script.id}-02-consent`)
    await script.approve(page)
    await page.waitForURL((url) => url.origin === dev.publicUrl && url.hash === "#installations")
    await page.getByRole("status").getByText("is active").waitFor()
    const row = page.getByRole("row").filter({ hasText: script.displayName })
    await row.getByText("active").first().waitFor()
    expect(page.url()).not.toContain("installation=")
    await shot(page, `${script.id}-03-installed`)
  })

  it("publishes an agent with scopes, granularity and filters", async () => {
    await page.getByRole("row").filter({ hasText: script.displayName }).getByRole("button", { name: "Publish an agent" }).click()
    await page.getByRole("heading", { name: "Publish an agent" }).waitFor()
    // Every scope starts checked, each with the tools it unlocks.
    const scopes = page.getByRole("group", { name: /Scopes/ }).getByRole("checkbox")
    expect(await scopes.count()).toBeGreaterThan(1)
    for (const box of await scopes.all()) expect(await box.isChecked()).toBe(true)
    await page.getByLabel("Agent id").fill("demo-agent")
    await shot(page, `${script.id}-04-publish-form`)
    await page.getByRole("button", { name: "Create publication" }).click()
    await page.getByRole("status").getByText("demo-agent is published").waitFor()
    await page.getByRole("row").filter({ hasText: "demo-agent" }).filter({ hasText: script.displayName }).getByText("active").waitFor()
    await shot(page, `${script.id}-05-published`)
  })

  it("simulates a webhook and shows the delivery and the demo agent's reply", async () => {
    await page.getByRole("link", { name: "Integrations" }).click()
    await page.getByRole("button", { name: `Simulate ${script.displayName} event` }).click()
    const simulation = page.locator(".simulation").first()
    await simulation.getByText("delivered").waitFor({ timeout: 20_000 })
    await simulation.locator(".by-agent").getByText("Switchboard demo agent").waitFor({ timeout: 20_000 })
    await shot(page, `${script.id}-06-simulated`)

    // The reply is in the fake vendor itself, posted with the installation's token.
    const deliveryId = await simulation.getAttribute("data-delivery")
    const subject = await simulation.getAttribute("data-subject")
    const written = await sandboxAdapter(script.id)!.activity(await sandboxUrl(script.id), subject ?? "")
    expect(written.filter((entry) => entry.byAgent).map((entry) => entry.body)).toEqual([expect.stringContaining("demo-agent")])

    await page.getByRole("link", { name: "Deliveries" }).click()
    const row = page.locator(`tr[data-delivery="${deliveryId}"]`)
    await row.getByText("dispatched").waitFor()
    await row.getByText("delivered").waitFor()
    await shot(page, `${script.id}-07-deliveries`)
    await page.getByRole("link", { name: "Sessions" }).click()
    await page.getByRole("row").filter({ hasText: "demo-agent" }).first().waitFor()
    await shot(page, `${script.id}-08-sessions`)

    // Acceptance 3: one correlation id from the webhook to both tool calls, in the JSON logs.
    const correlatedLines = () => dev.logLines().filter((line) => line.annotations["correlationId"] === deliveryId)
    // The Console may show "delivered" a moment before the line saying so is written.
    for (let tries = 0; tries < 50 && !JSON.stringify(correlatedLines()).includes("dispatch delivered"); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const correlated = correlatedLines()
    const messages = correlated.map((line) => Array.isArray(line.message) ? line.message.join(" ") : String(line.message))
    expect(messages).toEqual(expect.arrayContaining(["webhook accepted", "dispatch delivered"]))
    expect(messages.some((message) => message.startsWith("demo agent answered"))).toBe(true)
    expect(messages.filter((message) => message.startsWith("tool called"))).toHaveLength(2)
  })

  it("simulates from the CLI against the same instance", () => {
    const result = spawnSync(process.execPath, [join(repoRoot, "bin", "switchboard.js"), "simulate", script.id, script.cliEvent, "--url", dev.publicUrl], {
      cwd: repoRoot,
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", SWITCHBOARD_DEV_DATA: dataDir },
      encoding: "utf8",
      timeout: 60_000
    })
    expect(result.stderr).toContain("Switchboard accepted")
    expect(result.status, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/dispatch to demo-agent delivered/)
    expect(result.stdout).toContain("Switchboard demo agent")
  })

  it("works the same on a phone-sized screen", async () => {
    const narrow = await openConsole(390)
    await narrow.getByRole("link", { name: "Deliveries" }).click()
    await narrow.getByRole("table", { name: "Deliveries" }).waitFor()
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await shot(narrow, `${script.id}-09-narrow-deliveries`)
    await narrow.context().close()
  })
})

describe("a tenant's own app", () => {
  it("registers one, and keeps its URLs and manifest on screen across refreshes", async () => {
    const page = await openConsole()
    await page.getByText("Use your own Slack app").click()
    const panel = page.locator("#registration-slack")
    await panel.getByLabel("App name").fill("Acme agents")
    await panel.getByRole("button", { name: "Register an app (paste its credentials)" }).click()
    await panel.getByText("Point the app at these URLs:").waitFor()
    await panel.getByText(`${dev.publicUrl}/webhook/slack/app_`).first().waitFor()
    // The Console refreshes every few seconds; the new registration must not vanish meanwhile.
    await page.waitForTimeout(3_500)
    await panel.getByText("App manifest").click()
    await panel.locator("pre").getByText("Acme agents").first().waitFor()
    await shot(page, "slack-own-app-registration")
    await page.context().close()
  })
})

describe("the Console's accessibility basics", () => {
  it("labels every control, keeps landmarks, and starts keyboard users at a skip link", async () => {
    const page = await openConsole()
    for (const view of ["Integrations", "Installations", "Publications", "Deliveries", "Sessions"]) {
      await page.getByRole("link", { name: view }).click()
      await page.getByRole("heading", { name: view, level: 2 }).waitFor()
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll("input, select, textarea")].filter((element) => {
          const control = element as HTMLInputElement
          return control.type !== "hidden" && (control.labels?.length ?? 0) === 0 && !control.getAttribute("aria-label")
        }).map((element) => element.outerHTML)
      )
      expect(unlabelled, view).toEqual([])
      // Moving to a view puts focus on its heading, so screen readers announce it.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("view-title")
    }
    expect(await page.getByRole("main").count()).toBe(1)
    expect(await page.getByRole("navigation", { name: "Console sections" }).count()).toBe(1)
    // A fresh page: the first Tab lands on the skip link.
    await page.reload()
    await page.getByRole("heading", { level: 2 }).waitFor()
    await page.keyboard.press("Tab")
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content")
    await page.context().close()
  })

  it("asks for a key when there is none, and refuses a wrong one", async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(dev.publicUrl)
    await page.getByLabel("API key", { exact: true }).fill("sbk_wrong")
    await page.getByRole("button", { name: "Sign in" }).click()
    await page.getByRole("status").getByText("The API key is not valid").waitFor()
    await shot(page, "sign-in-refused")
    await context.close()
  })
})

describe("a restart", () => {
  it("keeps the installation, the publication and the sandbox's grant", async () => {
    await dev.stop()
    dev = await startDevCommand({ dataDir, port: Number(new URL(dev.publicUrl).port), name: "dev-restart" })
    const page = await openConsole()
    for (const script of scripts) {
      await page.getByRole("link", { name: "Installations" }).click()
      await page.getByRole("row").filter({ hasText: script.displayName }).getByText("active").first().waitFor()
      await page.getByRole("link", { name: "Integrations" }).click()
      await page.getByRole("button", { name: `Simulate ${script.displayName} event` }).click()
      const simulation = page.locator(".simulation").first()
      await simulation.locator(".by-agent").first().waitFor({ timeout: 20_000 })
      await simulation.getByText("delivered").waitFor()
    }
    await shot(page, "after-restart")
    await page.context().close()
  })
})
