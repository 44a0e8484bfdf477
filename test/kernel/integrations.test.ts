/**
 * `/v1/integrations` as the Registry describes it: which providers and install methods this
 * deployment's settings make work, which settings the others need, and each provider's default
 * granularity (its natural unit of work).
 */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import { describeProvider } from "../../kernel/http/IntegrationRoutes.ts"
import { Registry } from "../../kernel/registry/Registry.ts"
import { providers } from "../../providers/index.ts"

const describeAll = (env: Record<string, string>) =>
  Effect.map(Registry, (registry) => Object.fromEntries(registry.providers.map((provider) => [provider.id, describeProvider(provider)]))).pipe(
    Effect.provide(Registry.layer(providers).pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env)))))
  )

const FULL = {
  LINEAR_CLIENT_ID: "lin", LINEAR_CLIENT_SECRET: "lin-secret",
  SLACK_CLIENT_ID: "sl", SLACK_CLIENT_SECRET: "sl-secret",
  JIRA_CLIENT_ID: "ji", JIRA_CLIENT_SECRET: "ji-secret",
  GITHUB_APP_ID: "1", GITHUB_APP_SLUG: "sb", GITHUB_APP_PRIVATE_KEY: "pem", GITHUB_CLIENT_ID: "gh", GITHUB_CLIENT_SECRET: "gh-secret"
}

describe("/v1/integrations: what is configured", () => {
  it.effect("with no settings, OAuth methods say which settings they need; Jira's credential paste still works", () =>
    Effect.gen(function*() {
      const { github, jira, linear, slack } = yield* describeAll({})
      expect(linear).toMatchObject({
        configured: false,
        needs: ["LINEAR_CLIENT_ID", "LINEAR_CLIENT_SECRET"],
        install: [{ type: "oauth", configured: false, needs: ["LINEAR_CLIENT_ID", "LINEAR_CLIENT_SECRET"] }]
      })
      expect(slack).toMatchObject({
        configured: false,
        install: [{ type: "oauth", configured: false, needs: ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"] }],
        registration: { configured: true }
      })
      expect(github).toMatchObject({
        configured: false,
        install: [{
          type: "oauth",
          configured: false,
          needs: ["GITHUB_APP_ID", "GITHUB_APP_SLUG", "GITHUB_APP_PRIVATE_KEY", "GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"]
        }],
        registration: { configured: true }
      })
      expect(jira).toMatchObject({
        configured: true,
        needs: [],
        install: [
          { type: "oauth", configured: false, needs: ["JIRA_CLIENT_ID", "JIRA_CLIENT_SECRET"] },
          { type: "credentials", configured: true, needs: [] }
        ]
      })
    }))

  it.effect("a GitHub App without its OAuth client still needs GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET", () =>
    Effect.gen(function*() {
      const { github } = yield* describeAll({ GITHUB_APP_ID: "1", GITHUB_APP_SLUG: "sb", GITHUB_APP_PRIVATE_KEY: "pem" })
      expect(github?.install).toMatchObject([{ configured: false, needs: ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"] }])
    }))

  it.effect("with every client set, every provider and method is configured and needs nothing", () =>
    Effect.gen(function*() {
      const described = Object.values(yield* describeAll(FULL))
      expect(described).toHaveLength(4)
      for (const provider of described) {
        expect(provider).toMatchObject({ configured: true, needs: [] })
        for (const method of provider.install) expect(method).toMatchObject({ configured: true, needs: [] })
      }
    }))

  it.effect("each provider's default granularity is its natural unit, and one it supports", () =>
    Effect.gen(function*() {
      const described = yield* describeAll({})
      expect(Object.fromEntries(Object.entries(described).map(([id, provider]) => [id, provider.defaultGranularity]))).toEqual({
        linear: "issue",
        github: "issue",
        slack: "thread",
        jira: "issue"
      })
      for (const provider of Object.values(described)) expect(provider.granularities).toContain(provider.defaultGranularity)
    }))
})
