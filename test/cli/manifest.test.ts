/**
 * `switchboard manifest <provider>`: the app manifest of the deployment's own app, pointing at
 * the public URL; clear refusals for providers without one. A test vendor with a manifest stands
 * in for GitHub and Slack; the registered ones with a manifest are checked the same way.
 */
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { makeManifest } from "../../bin/cli/Manifest.ts"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import type { IntegrationProvider, ProviderFactory } from "../../kernel/provider/Provider.ts"
import { providers } from "../../providers/index.ts"
import { runCli, tempDir } from "./support.ts"
import { noWebhook } from "../support/noWebhook.ts"

const folder = tempDir()
afterAll(() => folder.remove())

const acme: IntegrationProvider = {
  id: ProviderId.make("acme"),
  displayName: "Acme",
  description: "A vendor whose apps come from a manifest",
  install: [],
  registration: {
    fields: [],
    validate: () => Effect.die("not used"),
    manifest: ({ name, urls }) => ({ name, webhook: urls.webhookUrl, redirect: urls.redirectUrl, setup: urls.manifestCallbackUrl })
  },
  webhook: noWebhook,
  tools: [],
  scopes: [],
  granularities: ["workspace"],
  filters: []
}
const factories: ReadonlyArray<ProviderFactory> = [...providers, Effect.succeed(acme)]
const command = [makeManifest(factories)]

describe("switchboard manifest", () => {
  it("prints the manifest for this deployment's public URL", async () => {
    const result = await runCli(["manifest", "acme", "--url", "https://sb.example.com/", "--name", "Acme agents"], { cwd: folder.path, commands: command })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      name: "Acme agents",
      webhook: "https://sb.example.com/webhook/acme",
      redirect: "https://sb.example.com/install/acme/callback",
      setup: "https://sb.example.com/install/acme/app/callback"
    })
    expect(result.stderr).toContain("webhooks to https://sb.example.com/webhook/acme")
  })

  it("takes the public URL from SWITCHBOARD_PUBLIC_URL", async () => {
    const result = await runCli(["manifest", "acme"], { cwd: folder.path, commands: command, env: { SWITCHBOARD_PUBLIC_URL: "https://env.example" } })
    expect(JSON.parse(result.stdout).webhook).toBe("https://env.example/webhook/acme")
  })

  it("refuses a provider without a manifest, an unknown one, and a missing URL", async () => {
    const linear = await runCli(["manifest", "linear", "--url", "https://sb.example.com"], { cwd: folder.path, commands: command })
    expect(linear.code).toBe(1)
    expect(linear.stderr).toContain("Linear has no app manifest")
    expect(linear.stderr).toContain("acme")
    const unknown = await runCli(["manifest", "nope", "--url", "https://sb.example.com"], { cwd: folder.path, commands: command })
    expect(unknown.stderr).toContain('"nope" is not registered in this build')
    const noUrl = await runCli(["manifest", "acme"], { cwd: folder.path, commands: command })
    expect(noUrl.stderr).toContain("Pass --url")
  })

  it("prints one for every registered provider that has a manifest, pointing at the deployment", async () => {
    const registered = await Effect.runPromise(Effect.all(providers))
    for (const provider of registered.filter((entry) => entry.registration?.manifest !== undefined)) {
      const result = await runCli(["manifest", provider.id, "--url", "https://sb.example.com"], { cwd: folder.path })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain(`https://sb.example.com/webhook/${provider.id}`)
    }
  })
})
