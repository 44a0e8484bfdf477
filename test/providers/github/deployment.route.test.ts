/**
 * The deployment's own GitHub App (GITHUB_APP_* settings), shared by every tenant: webhooks
 * at `/webhook/github` verified with GITHUB_WEBHOOK_SECRET (any of a rotation list), and
 * installs that must prove, with the installer's OAuth code, that they can see the
 * installation they name, so one tenant cannot claim another's installation.
 */
import { afterEach, describe, expect, it } from "vitest"
import * as Payloads from "../../../sandbox/fakes/github/payloads.ts"
import type { FakeApp } from "../../../sandbox/fakes/github/FakeGitHubState.ts"
import { PUBLIC_URL } from "../../support/kernel.ts"
import { type GitHubKernel, installations, sendTo, startGitHubKernel } from "../../support/github.ts"
import { handOffOf } from "../../../sandbox/kit/HandOff.ts"

/** The setup callback GitHub sends the browser to, and the install cookie that browser holds. */
const browserInstall = async (world: GitHubKernel, apiKey: string, account: string) => {
  const start = await world.kernel.request("/install/github", { apiKey, redirect: "manual" })
  expect(start.status, await start.clone().text()).toBe(200)
  const handOff = await handOffOf(start)
  const page = handOff.consentUrl
  const approve = new URL(`${page.pathname}/approve${page.search}`, page)
  approve.searchParams.set("account", account)
  const setup = new URL((await fetch(approve, { redirect: "manual" })).headers.get("location") ?? "")
  return { setup, cookie: { cookie: handOff.cookie } }
}

describe("the deployment's shared GitHub App", () => {
  let world: GitHubKernel
  let app: FakeApp

  afterEach(async () => {
    await world.close()
  })

  const start = (oauth: boolean) =>
    startGitHubKernel({
      env: async (github) => {
        app = await github.control.createApp({
          name: "Switchboard Cloud",
          owner: "switchboard-inc",
          setupUrl: `${PUBLIC_URL}/install/github/callback`,
          requestOAuthOnInstall: true
        })
        return {
          GITHUB_APP_ID: String(app.id),
          GITHUB_APP_SLUG: app.slug,
          GITHUB_APP_PRIVATE_KEY: app.pem,
          GITHUB_WEBHOOK_SECRET: `${app.webhookSecret}, old-secret`,
          ...(oauth ? { GITHUB_CLIENT_ID: app.clientId, GITHUB_CLIENT_SECRET: app.clientSecret } : {})
        }
      }
    })

  it("installs with the installer's proof, refuses another tenant's claim, and takes webhooks at /webhook/github", async () => {
    world = await start(true)
    await world.github.control.seedRepo("acme/widgets")
    const acme = await world.kernel.createTenant("acme-tenant")
    world.github.control.setWebUser("acme-admin")
    const { setup, cookie } = await browserInstall(world, acme.apiKey, "acme")
    expect(setup.searchParams.get("code")).not.toBeNull()
    const finished = await world.kernel.request(`${setup.pathname}${setup.search}`, { headers: cookie })
    expect(finished.status, await finished.clone().text()).toBe(200)
    const [installation] = await installations(world.kernel, acme.apiKey)
    const acmeInstallationId = installation?.externalAccountId ?? ""
    expect(installation?.status).toBe("active")

    // Mallory installs on her own account, then swaps in acme's installation id.
    const mallory = await world.kernel.createTenant("mallory-tenant")
    world.github.control.setWebUser("mallory")
    const { setup: own, cookie: ownCookie } = await browserInstall(world, mallory.apiKey, "mallory")
    own.searchParams.set("installation_id", acmeInstallationId)
    const claimed = await world.kernel.request(`${own.pathname}${own.search}`, { headers: ownCookie })
    expect(claimed.status).toBe(502)
    expect((await claimed.json()).error.message).toContain("not one the installer can access")
    const { setup: noCode, cookie: noCodeCookie } = await browserInstall(world, mallory.apiKey, "mallory")
    noCode.searchParams.delete("code")
    expect((await world.kernel.request(`${noCode.pathname}${noCode.search}`, { headers: noCodeCookie })).status).toBe(400)
    expect(await installations(world.kernel, mallory.apiKey)).toEqual([])

    await world.kernel.publish(acme.apiKey, { installationId: installation?.id, agentId: "agent-1", scopes: ["issues:read"], granularity: "issue" })
    const item = world.github.control.seedIssue("acme/widgets", { title: "Shared app", body: `@${app.slug} hello` })
    const where = { state: world.github.control.state, repo: world.github.control.repo("acme/widgets"), installationId: Number(acmeInstallationId), sender: "ada" }
    const target = { registrationId: "", app }
    const delivery = Payloads.issues(where, "opened", item)
    expect((await sendTo(world.kernel, target, delivery, { deliveryId: "d-current", path: "/webhook/github" })).status).toBe(200)
    expect((await sendTo(world.kernel, target, delivery, { deliveryId: "d-old", path: "/webhook/github", secret: "old-secret" })).status).toBe(200)
    expect((await sendTo(world.kernel, target, delivery, { deliveryId: "d-forged", path: "/webhook/github", secret: "x" })).status).toBe(401)
    const dispatched = await world.kernel.eventually(() => world.kernel.deliveries.find((entry) => entry.dispatch.deliveryId === "d-current"))
    expect(dispatched.dispatch.sessionKey).toBe(`github:acme/widgets#${item.number}`)
  })

  it("refuses to install the shared app without its OAuth client, which proves who installs", async () => {
    world = await start(false)
    const { apiKey } = await world.kernel.createTenant("acme-tenant")
    const { setup, cookie } = await browserInstall(world, apiKey, "acme")
    const finished = await world.kernel.request(`${setup.pathname}${setup.search}`, { headers: cookie })
    expect(finished.status).toBe(503)
    expect((await finished.json()).error).toMatchObject({ reason: "NotConfigured", message: expect.stringContaining("GITHUB_CLIENT_ID") })
  })
})
