/**
 * The Slack provider as the registry sees it: built without any setting (listed, then
 * NotConfigured where it matters), its settings read once, every tool behind a declared scope,
 * and every publication scope mapped to Slack scopes the manifest and consent URL request.
 */
import { ConfigProvider, Effect, Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import * as SlackConfig from "../../../providers/slack/SlackConfig.ts"
import { BOT_SCOPES } from "../../../providers/slack/install/SlackManifest.ts"
import * as SlackProvider from "../../../providers/slack/SlackProvider.ts"
import { SLACK_SCOPES } from "../../../providers/slack/publication/SlackScopes.ts"

const build = (env: Record<string, string>) =>
  Effect.runPromise(SlackProvider.make.pipe(Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env)))))

describe("SlackProvider.make", () => {
  it("builds without any Slack setting; installing says NotConfigured", async () => {
    const provider = await build({})
    expect(provider).toMatchObject({ id: "slack", displayName: "Slack", granularities: ["thread", "user", "workspace"] })
    expect(provider.filters.map((filter) => filter.key)).toEqual(["channel"])
    const [oauth] = provider.install
    if (oauth?._tag !== "OAuth") throw new Error("expected OAuth")
    const exit = await Effect.runPromiseExit(oauth.authorizationUrl({ state: "s", redirectUri: "https://x/cb", codeChallenge: Option.none(), app: Option.none() }))
    expect(JSON.stringify(exit)).toContain("NotConfigured")
    expect(provider.registration?.fields.map((field) => field.name)).toEqual(["clientId", "clientSecret", "signingSecret"])
  })

  it("reads its settings once: credentials, a rotation list of signing secrets, the URLs without a trailing slash", async () => {
    const settings = await Effect.runPromise(SlackConfig.load.pipe(Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({
      SLACK_CLIENT_ID: " 1.2 ",
      SLACK_CLIENT_SECRET: "secret",
      SLACK_SIGNING_SECRET: "old, new,",
      SLACK_API_URL: "http://127.0.0.1:9/api/",
      SLACK_OAUTH_URL: "http://127.0.0.1:9/"
    })))))
    expect(Option.map(settings.oauth, (credentials) => credentials.clientId)).toEqual(Option.some("1.2"))
    expect(settings.signingSecrets.map(Redacted.value)).toEqual(["old", "new"])
    expect(settings).toMatchObject({ apiUrl: "http://127.0.0.1:9/api", oauthUrl: "http://127.0.0.1:9" })
    const defaults = await Effect.runPromise(SlackConfig.load.pipe(Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({ SLACK_CLIENT_ID: "1.2" })))))
    expect(defaults).toMatchObject({ oauth: Option.none(), signingSecrets: [], apiUrl: "https://slack.com/api", oauthUrl: "https://slack.com" })
  })

  it("puts every tool behind a declared scope, and every scope on Slack scopes the app requests", async () => {
    const provider = await build({})
    const declared = provider.scopes.map((scope) => scope.name)
    expect(provider.tools.map((tool) => [tool.name, tool.scope])).toEqual([
      ["post_message", "messages:write"],
      ["reply_in_thread", "messages:write"],
      ["update_message", "messages:write"],
      ["add_reaction", "reactions:write"],
      ["remove_reaction", "reactions:write"],
      ["read_thread", "history:read"],
      ["read_channel_history", "history:read"],
      ["lookup_user", "users:read"],
      ["list_channels", "channels:read"],
      ["upload_file", "files:write"]
    ])
    for (const tool of provider.tools) expect(declared).toContain(tool.scope)
    for (const scope of declared) {
      const slackScopes = SLACK_SCOPES.get(scope) ?? []
      expect(slackScopes.length, scope).toBeGreaterThan(0)
      for (const slackScope of slackScopes) expect(BOT_SCOPES, `${scope} → ${slackScope}`).toContain(slackScope)
    }
  })
})
