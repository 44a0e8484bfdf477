/**
 * `switchboard manifest <provider>`: the vendor app manifest (GitHub App, Slack app) for this
 * deployment's own app, from the provider's `registration.manifest`, pointing at the public URL:
 * webhook `/webhook/<provider>`, OAuth redirect `/install/<provider>/callback`. Tenants that run
 * their own apps get theirs from the Console (or `POST /v1/registrations`) instead.
 */
import { ConfigProvider, Effect } from "effect"
import type { AppUrls } from "../../kernel/provider/Registration.ts"
import type { ProviderFactory } from "../../kernel/provider/Provider.ts"
import { providers as registered } from "../../providers/index.ts"
import { type Command, parse, text } from "./Command.ts"
import { CliFailure, done, type Io, step } from "./Io.ts"

const help = `Usage: switchboard manifest <provider> [options]

Prints the app manifest to create this deployment's app at the vendor (github, slack ...).

Options:
  --url <url>     the public URL vendors reach (default $SWITCHBOARD_PUBLIC_URL)
  --name <name>   the app's name (default Switchboard)

Example:
  switchboard manifest slack --url https://switchboard.example.com > slack-manifest.json`

const options = { url: { type: "string" }, name: { type: "string" } } as const

export const deploymentUrls = (publicUrl: string, providerId: string): AppUrls => ({
  publicUrl,
  webhookUrl: `${publicUrl}/webhook/${providerId}`,
  redirectUrl: `${publicUrl}/install/${providerId}/callback`,
  manifestCallbackUrl: `${publicUrl}/install/${providerId}/app/callback`
})

/** The command over a provider list (tests hand in their own). */
export const makeManifest = (factories: ReadonlyArray<ProviderFactory>): Command => ({
  words: ["manifest"],
  summary: "print the GitHub or Slack app manifest for this deployment",
  help,
  run: async (args: ReadonlyArray<string>, io: Io) => {
    const { values, positionals } = parse("manifest", args, options)
    const providerId = positionals[0]
    const publicUrl = (text(values.url) ?? io.env["SWITCHBOARD_PUBLIC_URL"])?.replace(/\/+$/, "")
    if (publicUrl === undefined) throw new CliFailure("Pass --url with the public URL vendors reach (or set SWITCHBOARD_PUBLIC_URL)")
    if (!URL.canParse(publicUrl)) throw new CliFailure(`--url is not a URL: ${publicUrl}`)
    const env = Object.fromEntries(Object.entries(io.env).filter((entry): entry is [string, string] => entry[1] !== undefined))
    const providers = await Effect.runPromise(
      Effect.all(factories).pipe(Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({ ...env, SWITCHBOARD_PUBLIC_URL: publicUrl }))))
    ).catch((cause: unknown) => {
      throw new CliFailure(`The providers could not read their settings: ${cause instanceof Error ? cause.message : String(cause)}`)
    })
    const withManifest = providers.filter((provider) => provider.registration?.manifest !== undefined).map((provider) => provider.id)
    const provider = providers.find((candidate) => candidate.id === providerId)
    if (provider === undefined) {
      throw new CliFailure(`${providerId === undefined ? "Name a provider" : `"${providerId}" is not registered in this build`}; providers with a manifest: ${withManifest.join(", ") || "none"}`)
    }
    const manifest = provider.registration?.manifest
    if (manifest === undefined) {
      throw new CliFailure(`${provider.displayName} has no app manifest (it installs with ${provider.install.map((method) => method._tag).join(" or ")}); providers with one: ${withManifest.join(", ") || "none"}`)
    }
    const urls = deploymentUrls(publicUrl, provider.id)
    step(io, `${provider.displayName} app for ${publicUrl}: webhooks to ${urls.webhookUrl}, OAuth back to ${urls.redirectUrl}`)
    io.out(JSON.stringify(manifest({ name: text(values.name) ?? "Switchboard", urls }), null, 2))
    done(io, `Create the app at ${provider.displayName} from this manifest, then set its credentials in Switchboard's env.`)
  }
})

export const manifest: Command = makeManifest(registered)
