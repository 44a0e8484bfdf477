/**
 * Acceptance 2: the manifest round trip and the installation round trip against the fake
 * GitHub, through the kernel's real routes: the manifest the kernel posts, GitHub's redirect
 * with a code, the conversion into the app's credentials (a PKCS#1 key the provider must
 * accept), the install page, the setup callback with `installation_id`, and
 * `setup_action=request` for installs that await an organization owner.
 */
import { afterEach, describe, expect, it } from "vitest"
import {
  createAppByManifest,
  type GitHubKernel,
  installApp,
  installations,
  readForm,
  sendTo,
  startGitHubKernel
} from "../../support/github.ts"
import * as Payloads from "../../../sandbox/fakes/github/payloads.ts"
import { handOffOf } from "../../../sandbox/kit/HandOff.ts"

describe("GitHub App manifest and installation round trips", () => {
  let world: GitHubKernel

  afterEach(async () => {
    await world.close()
  })

  it("creates the app from Switchboard's manifest and installs it on an account", async () => {
    world = await startGitHubKernel()
    const { apiKey } = await world.kernel.createTenant("acme-tenant")
    const { app, form, installPath, registrationId } = await createAppByManifest(world, apiKey, "Switchboard Acme")

    expect(form.action).toMatch(new RegExp(`^${world.server.url}/settings/apps/new\\?state=`))
    const manifest = JSON.parse(form.fields["manifest"] ?? "{}")
    expect(manifest).toMatchObject({
      name: "Switchboard Acme",
      url: "http://switchboard.test",
      hook_attributes: { url: `http://switchboard.test/webhook/github/${registrationId}`, active: true },
      redirect_url: "http://switchboard.test/install/github/app/callback",
      setup_url: "http://switchboard.test/install/github/callback",
      public: false,
      default_permissions: { metadata: "read", issues: "write", pull_requests: "write", contents: "write" },
      default_events: ["issues", "issue_comment", "pull_request", "pull_request_review", "pull_request_review_comment"]
    })
    expect(app.pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/)

    const registrations = await (await world.kernel.request("/v1/registrations", { apiKey })).json()
    expect(registrations.registrations).toEqual([
      expect.objectContaining({
        id: registrationId,
        status: "active",
        externalAppId: String(app.id),
        displayName: "Switchboard Acme",
        metadata: expect.objectContaining({ slug: app.slug, botLogin: `${app.slug}[bot]`, clientId: app.clientId })
      })
    ])
    expect(JSON.stringify(registrations)).not.toContain(app.webhookSecret)

    const installed = await installApp(world, installPath, { account: "acme" })
    expect(installed.status, await installed.clone().text()).toBe(200)
    expect(await installed.text()).toContain("acme is connected")
    const [installation] = await installations(world.kernel, apiKey)
    const fake = world.github.control.installations().at(-1)
    expect(installation).toMatchObject({ status: "active", externalAccountId: String(fake?.id) })
    // The install checked the installation and minted a token with the app JWT (RS256 from the PKCS#1 key).
    const appCalls = world.github.control.requests().filter((entry) => entry.auth === `jwt:${app.id}`)
    expect(appCalls.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      `GET /app/installations/${fake?.id} 200`,
      `POST /app/installations/${fake?.id}/access_tokens 201`
    ])

    // Uninstalling in Switchboard revokes the token it holds; the App stays installed on GitHub.
    const removed = await world.kernel.request(`/v1/installations/${installation?.id}`, { method: "DELETE", apiKey })
    expect(removed.status).toBeLessThan(300)
    expect(world.github.control.mintedTokens().map((token) => token.revoked)).toEqual([true])
    expect(world.github.control.requests().at(-1)).toMatchObject({ method: "DELETE", path: "/installation/token", status: 204 })
    expect((await installations(world.kernel, apiKey))[0]?.status).toBe("revoked")
    expect(fake?.deleted).toBe(false)
  })

  it("posts the manifest to the organization's page for an <organization>/<name> app name", async () => {
    world = await startGitHubKernel()
    const { apiKey } = await world.kernel.createTenant("acme-tenant")
    const start = await world.kernel.request(`/install/github/app?name=${encodeURIComponent("acme/Switchboard")}`, { apiKey })
    const form = readForm(await start.text())
    expect(form.action).toMatch(new RegExp(`^${world.server.url}/organizations/acme/settings/apps/new\\?state=`))
    expect(JSON.parse(form.fields["manifest"] ?? "{}").name).toBe("Switchboard")
  })

  it("answers setup_action=request with a message that the install awaits the organization owner", async () => {
    world = await startGitHubKernel()
    const { apiKey } = await world.kernel.createTenant("acme-tenant")
    const { app, installPath } = await createAppByManifest(world, apiKey)
    const requested = await installApp(world, installPath, { account: "acme", step: "request" })
    expect(requested.status).toBe(202)
    expect(await requested.text()).toMatch(/awaits approval by an owner of the organization/)
    expect(await installations(world.kernel, apiKey)).toEqual([])
    expect(world.github.control.installRequests()).toEqual([{ appId: app.id, account: "acme", requester: "octocat" }])
  })

  it("connects a requested install once the owner approves it and GitHub announces it", async () => {
    world = await startGitHubKernel()
    const { apiKey } = await world.kernel.createTenant("acme-tenant")
    const { app, installPath, registrationId } = await createAppByManifest(world, apiKey)
    expect((await installApp(world, installPath, { account: "acme", step: "request" })).status).toBe(202)
    // The owner approves on GitHub later; GitHub then sends installation.created to the app.
    const approved = world.github.control.install(app.slug, "acme")
    const announced = Payloads.installation(world.github.control.state, "created", approved, "acme-owner")
    const response = await sendTo(world.kernel, { registrationId, app }, announced, { deliveryId: "approved-1" })
    expect(response.status).toBe(200)
    const [connected] = await installations(world.kernel, apiKey)
    expect(connected).toMatchObject({ externalAccountId: String(approved.id), status: "active" })
    // Announced again (a redelivery or a second event): still one installation.
    await sendTo(world.kernel, { registrationId, app }, announced, { deliveryId: "approved-2" })
    expect(await installations(world.kernel, apiKey)).toHaveLength(1)
  })

  it("refuses a replayed setup callback and an installation of another app", async () => {
    world = await startGitHubKernel()
    const { apiKey } = await world.kernel.createTenant("acme-tenant")
    const { installPath } = await createAppByManifest(world, apiKey)
    const other = await world.github.control.createApp({ name: "Someone Else", owner: "mallory" })
    const foreign = world.github.control.install(other.slug, "mallory")
    const start = await handOffOf(await world.kernel.request(installPath, { redirect: "manual" }))
    const state = start.consentUrl.searchParams.get("state") ?? ""
    const spoofed = await world.kernel.request(
      `/install/github/callback?installation_id=${foreign.id}&setup_action=install&state=${state}`,
      { headers: { cookie: start.cookie } }
    )
    expect(spoofed.status).toBe(502)
    expect((await spoofed.json()).error.message).toMatch(/Not Found|another GitHub App/)
    const replay = await world.kernel.request(`/install/github/callback?installation_id=${foreign.id}&setup_action=install&state=${state}`, {
      headers: { cookie: start.cookie }
    })
    expect(replay.status).toBe(400)
    expect(await installations(world.kernel, apiKey)).toEqual([])
  })
})
