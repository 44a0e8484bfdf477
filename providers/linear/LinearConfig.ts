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
import { Config, type Effect, type Option, type Redacted } from "effect"
import * as Settings from "../../kernel/provider/Settings.ts"

export interface LinearSettings {
  readonly oauth: Option.Option<Settings.OAuthClient>
  /** Every secret a signature may be made with; empty when webhooks are not configured. */
  readonly webhookSecrets: ReadonlyArray<Redacted.Redacted<string>>
  /** No trailing slash, so paths can be appended. */
  readonly apiUrl: string
  readonly oauthUrl: string
}

export const load: Effect.Effect<LinearSettings, Config.ConfigError> = Config.all({
  oauth: Settings.oauthClient("LINEAR"),
  webhookSecrets: Settings.secrets("LINEAR_WEBHOOK_SECRET"),
  apiUrl: Settings.baseUrl("LINEAR_API_URL", "https://api.linear.app"),
  oauthUrl: Settings.baseUrl("LINEAR_OAUTH_URL", "https://linear.app")
})
