/**
 * The Linear provider's settings, read once from Effect Config when the provider is built.
 *
 * | env | meaning |
 * |---|---|
 * | LINEAR_CLIENT_ID | OAuth application client id |
 * | LINEAR_CLIENT_SECRET | OAuth application client secret (Redacted) |
 * | LINEAR_WEBHOOK_SECRET | webhook signing secret; a comma-separated list during a rotation (Redacted) |
 * | LINEAR_API_URL | API origin for GraphQL and the token endpoint (default https://api.linear.app) |
 * | LINEAR_OAUTH_URL | origin of the consent page (default https://linear.app) |
 *
 * Missing credentials are not a ConfigError: a deployment that has not set up Linear yet must
 * still list the provider, so each part checks what it needs and fails with `NotConfigured`.
 */
import { Config, Effect, Option, Redacted } from "effect"
import { nonEmpty, splitSecrets, withoutTrailingSlash } from "../../kernel/provider/Settings.ts"

export interface LinearOAuthCredentials {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
}

export interface LinearSettings {
  readonly oauth: Option.Option<LinearOAuthCredentials>
  /** Every secret a signature may be made with; empty when webhooks are not configured. */
  readonly webhookSecrets: ReadonlyArray<Redacted.Redacted<string>>
  /** No trailing slash, so paths can be appended. */
  readonly apiUrl: string
  readonly oauthUrl: string
}

const raw = Config.all({
  clientId: Config.option(Config.String("LINEAR_CLIENT_ID")),
  clientSecret: Config.option(Config.Redacted("LINEAR_CLIENT_SECRET")),
  webhookSecret: Config.option(Config.Redacted("LINEAR_WEBHOOK_SECRET")),
  apiUrl: Config.URL("LINEAR_API_URL").pipe(Config.withDefault(new URL("https://api.linear.app"))),
  oauthUrl: Config.URL("LINEAR_OAUTH_URL").pipe(Config.withDefault(new URL("https://linear.app")))
})

export const load: Effect.Effect<LinearSettings, Config.ConfigError> = Effect.map(raw, (values) => {
  const clientId = nonEmpty(values.clientId)
  const clientSecret = Option.filter(values.clientSecret, (secret) => Redacted.value(secret).trim().length > 0)
  return {
    oauth: Option.zipWith(clientId, clientSecret, (id, secret) => ({ clientId: id, clientSecret: secret })),
    webhookSecrets: Option.match(values.webhookSecret, { onNone: () => [], onSome: splitSecrets }),
    apiUrl: withoutTrailingSlash(values.apiUrl),
    oauthUrl: withoutTrailingSlash(values.oauthUrl)
  }
})
