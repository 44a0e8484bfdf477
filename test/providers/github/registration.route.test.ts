/**
 * The credential-paste install of a tenant's own GitHub App (an App made by hand): the App id,
 * the PKCS#1 private key GitHub generated and the webhook secret, checked with `GET /app` as
 * the app before anything is stored; then installing it, and its webhooks verified with the
 * pasted secret, the previous one accepted while a rotation is pasted as `new,previous`.
 */
import { afterEach, describe, expect, it } from "vitest"
import * as Payloads from "../../../sandbox/fakes/github/payloads.ts"
import { type GitHubKernel, installApp, installations, sendTo, startGitHubKernel } from "../../support/github.ts"

const paste = (world: GitHubKernel, apiKey: string, id: string, fields: Record<string, string>) =>
  world.kernel.request(`/v1/registrations/${id}/credentials`, { method: "PUT", apiKey, body: JSON.stringify({ fields }) })

describe("pasting a GitHub App's credentials", () => {
  let world: GitHubKernel

  afterEach(async () => {
    await world.close()
  })

  it("checks the App id and PKCS#1 key with GitHub, then installs the app and verifies its webhooks", async () => {
    world = await startGitHubKernel()
    const { apiKey } = await world.kernel.createTenant("acme-tenant")
    const created = await world.kernel.request("/v1/registrations", {
      method: "POST",
      apiKey,
      body: JSON.stringify({ providerId: "github", name: "Hand-made app" })
    })
    expect(created.status).toBe(201)
    const { fields, manifest, registration, urls } = await created.json()
    expect(fields.map((field: { name: string }) => field.name)).toEqual(["app_id", "private_key", "webhook_secret"])
    expect(manifest).toMatchObject({ hook_attributes: { url: urls.webhookUrl }, setup_url: urls.redirectUrl })

    const app = await world.github.control.createApp({ name: "Hand Made", owner: "acme", setupUrl: urls.redirectUrl, hookUrl: urls.webhookUrl })
    const other = await world.github.control.createApp({ name: "Other App", owner: "acme" })
    const wrongKey = await paste(world, apiKey, registration.id, { app_id: String(app.id), private_key: other.pem, webhook_secret: "s" })
    expect(wrongKey.status).toBe(400)
    expect((await wrongKey.json()).error).toMatchObject({ reason: "InvalidCredentials", message: expect.stringContaining("check the App id and private key") })
    const notPem = await paste(world, apiKey, registration.id, { app_id: String(app.id), private_key: "ssh-rsa AAAA", webhook_secret: "s" })
    expect((await notPem.json()).error.message).toContain("not a PEM block")
    const notId = await paste(world, apiKey, registration.id, { app_id: "my-app", private_key: app.pem, webhook_secret: "s" })
    expect((await notId.json()).error.message).toContain("numeric")

    // GitHub's download has real newlines; env-style pastes have literal \n: both work.
    const pasted = await paste(world, apiKey, registration.id, {
      app_id: String(app.id),
      private_key: app.pem.replace(/\n/g, "\\n"),
      webhook_secret: `${app.webhookSecret},previous-secret`
    })
    expect(pasted.status, await pasted.clone().text()).toBe(200)
    expect((await pasted.json()).registration).toMatchObject({
      status: "active",
      externalAppId: String(app.id),
      // The admin's name stays; GitHub's name for the app is kept beside it.
      displayName: "Hand-made app",
      metadata: expect.objectContaining({ slug: app.slug, owner: "acme", vendorName: "Hand Made" })
    })

    await world.github.control.seedRepo("acme/widgets")
    const installed = await installApp(world, `/install/github?registration=${registration.id}&ticket=${(await (await world.kernel.request("/v1/install-tickets", { method: "POST", apiKey, body: JSON.stringify({ providerId: "github" }) })).json()).ticket}`, { account: "acme" })
    expect(installed.status, await installed.clone().text()).toBe(200)
    const [installation] = await installations(world.kernel, apiKey)
    expect(installation?.status).toBe("active")
    await world.kernel.publish(apiKey, { installationId: installation?.id, agentId: "agent-1", scopes: ["issues:read"], granularity: "issue" })

    const target = { registrationId: registration.id, app }
    const where = { state: world.github.control.state, repo: world.github.control.repo("acme/widgets"), installationId: Number(installation?.externalAccountId), sender: "ada" }
    const item = world.github.control.seedIssue("acme/widgets", { title: "Pasted", body: `@${app.slug} hi` })
    expect((await sendTo(world.kernel, target, Payloads.issues(where, "opened", item), { deliveryId: "r-current" })).status).toBe(200)
    expect((await sendTo(world.kernel, target, Payloads.issues(where, "opened", item), { deliveryId: "r-previous", secret: "previous-secret" })).status).toBe(200)
    expect((await sendTo(world.kernel, target, Payloads.issues(where, "opened", item), { deliveryId: "r-forged", secret: "nope" })).status).toBe(401)
    await world.kernel.eventually(() => world.kernel.deliveries.find((entry) => entry.dispatch.deliveryId === "r-current"))
  })
})
