/**
 * `LinearProvider.make` reads its Config once and never fails for missing credentials: the
 * provider is listed, and install and webhooks fail with NotConfigured until they are set.
 */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option, Redacted } from "effect"
import * as LinearConfig from "../../../providers/linear/LinearConfig.ts"
import * as LinearProvider from "../../../providers/linear/LinearProvider.ts"
import { providers } from "../../../providers/index.ts"
import { Registry } from "../../../kernel/registry/Registry.ts"

const ALL_TOOLS = [
  "get_issue",
  "create_comment",
  "search_issues",
  "create_issue",
  "update_issue",
  "move_issue",
  "create_sub_issue",
  "list_comments",
  "add_label",
  "remove_label",
  "list_teams",
  "create_agent_activity"
] as const

const withEnv = (env: Record<string, string>) => Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))

describe("LinearProvider.make", () => {
  it.effect("builds with no Linear settings at all, and lists what it offers", () =>
    Effect.gen(function*() {
      const provider = yield* LinearProvider.make.pipe(withEnv({}))
      expect(provider.id).toBe("linear")
      expect(provider.install.map((method) => method._tag)).toEqual(["OAuth"])
      expect(provider.tools.map((tool) => tool.name)).toEqual([...ALL_TOOLS])
      expect(provider.scopes.map((scope) => scope.name)).toEqual([
        "issues:read",
        "issues:search",
        "issues:write",
        "comments:read",
        "comments:write",
        "labels:write",
        "teams:read",
        "activities:write"
      ])
      expect(provider.granularities).toEqual(["workspace", "issue"])
      expect(provider.filters.map((filter) => filter.key)).toEqual(["team", "trigger"])
      // Every tool sits behind a declared scope.
      const declared = provider.scopes.map((scope) => scope.name)
      for (const tool of provider.tools) expect(declared).toContain(tool.scope)
      const oauth = provider.install[0]
      if (oauth?._tag !== "OAuth") throw new Error("expected OAuth")
      expect(oauth.pkce).toBe(true)
      const error = yield* Effect.flip(oauth.authorizationUrl({ app: Option.none(), state: "s", redirectUri: "http://x/cb", codeChallenge: Option.none() }))
      expect(error.reason).toBe("NotConfigured")
    }))

  it.effect("reads every setting, with a comma-separated webhook secret list for rotation", () =>
    Effect.gen(function*() {
      const settings = yield* LinearConfig.load.pipe(withEnv({
        LINEAR_CLIENT_ID: "client-1",
        LINEAR_CLIENT_SECRET: "secret-1",
        LINEAR_WEBHOOK_SECRET: "new-secret, old-secret,",
        LINEAR_API_URL: "http://127.0.0.1:4010/",
        LINEAR_OAUTH_URL: "http://127.0.0.1:4010"
      }))
      expect(Option.map(settings.oauth, (oauth) => [oauth.clientId, Redacted.value(oauth.clientSecret)])).toEqual(
        Option.some(["client-1", "secret-1"])
      )
      expect(settings.webhookSecrets.map(Redacted.value)).toEqual(["new-secret", "old-secret"])
      expect(settings.apiUrl).toBe("http://127.0.0.1:4010")
      expect(settings.oauthUrl).toBe("http://127.0.0.1:4010")
    }))

  it.effect("defaults to Linear's own origins, and treats a blank client id as missing", () =>
    Effect.gen(function*() {
      const settings = yield* LinearConfig.load.pipe(withEnv({ LINEAR_CLIENT_ID: " ", LINEAR_CLIENT_SECRET: "s" }))
      expect(settings.apiUrl).toBe("https://api.linear.app")
      expect(settings.oauthUrl).toBe("https://linear.app")
      expect(Option.isNone(settings.oauth)).toBe(true)
      expect(settings.webhookSecrets).toEqual([])
    }))

  it.effect("an invalid URL is a ConfigError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(LinearProvider.make.pipe(withEnv({ LINEAR_API_URL: "not a url" })))
      expect(error._tag).toBe("ConfigError")
    }))

  it.effect("registers its tools under mcp_linear_<tool>", () =>
    Effect.gen(function*() {
      const registry = yield* Effect.service(Registry).pipe(Effect.provide(Registry.layer(providers)), withEnv({}))
      const linearTools = registry.tools.filter((entry) => entry.provider.id === "linear")
      expect(linearTools.map((entry) => entry.mcpName)).toEqual(ALL_TOOLS.map((name) => `mcp_linear_${name}`))
    }))

  it("is in the deployment's provider list", () => {
    expect(providers).toContain(LinearProvider.make)
  })
})
