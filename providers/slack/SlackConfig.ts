/**
 * The Slack provider's settings, read once from Effect Config when the provider is built, and
 * the choice between the deployment's own Slack app and a tenant's own app (`AppContext`).
 *
 * | env | meaning |
 * |---|---|
 * | SLACK_CLIENT_ID | the deployment's Slack app: Client ID |
 * | SLACK_CLIENT_SECRET | its Client Secret (Redacted) |
 * | SLACK_SIGNING_SECRET | its Signing Secret; a comma-separated list during a rotation (Redacted) |
 * | SLACK_API_URL | Web API base (default https://slack.com/api) |
 * | SLACK_OAUTH_URL | origin of the consent page `/oauth/v2/authorize` (default https://slack.com) |
 *
 * Missing credentials are not a ConfigError: a deployment that has not set up Slack (or serves
 * only tenants' own apps) still lists the provider, and each part fails with `NotConfigured`.
 */
import { Config, type Effect, Option, type Redacted } from "effect"
import type { AppContext } from "../../kernel/provider/Registration.ts"
import * as Settings from "../../kernel/provider/Settings.ts"

export type SlackAppCredentials = Settings.OAuthClient

export interface SlackSettings {
  readonly oauth: Option.Option<SlackAppCredentials>
  /** Every secret a request may be signed with; empty when the deployment's app has none. */
  readonly signingSecrets: ReadonlyArray<Redacted.Redacted<string>>
  /** No trailing slash, so method names can be appended (`<apiUrl>/chat.postMessage`). */
  readonly apiUrl: string
  readonly oauthUrl: string
}

/** The names a tenant app's credentials are stored under (registration metadata and secrets). */
export const APP_CLIENT_ID = "clientId"
export const APP_CLIENT_SECRET = "clientSecret"
export const APP_SIGNING_SECRET = "signingSecret"

export const load: Effect.Effect<SlackSettings, Config.ConfigError> = Config.all({
  oauth: Settings.oauthClient("SLACK"),
  signingSecrets: Settings.secrets("SLACK_SIGNING_SECRET"),
  apiUrl: Settings.baseUrl("SLACK_API_URL", "https://slack.com/api"),
  oauthUrl: Settings.baseUrl("SLACK_OAUTH_URL", "https://slack.com")
})

/** The tenant app's client credentials when the flow is for one, else the deployment's. */
export const credentialsFor = (
  settings: SlackSettings,
  app: Option.Option<AppContext> | undefined
): Option.Option<SlackAppCredentials> =>
  Option.match(app ?? Option.none(), {
    onNone: () => settings.oauth,
    onSome: ({ registration, secrets }) =>
      Option.zipWith(
        Settings.nonEmpty(Option.fromNullishOr(registration.metadata[APP_CLIENT_ID])),
        Option.fromNullishOr(secrets[APP_CLIENT_SECRET]),
        (clientId, clientSecret) => ({ clientId, clientSecret })
      )
  })

/** The signing secrets a webhook must match: the tenant app's own, else the deployment's. */
export const signingSecretsFor = (
  settings: SlackSettings,
  app: Option.Option<AppContext> | undefined
): ReadonlyArray<Redacted.Redacted<string>> =>
  Option.match(app ?? Option.none(), {
    onNone: () => settings.signingSecrets,
    onSome: ({ secrets }) => Option.match(Option.fromNullishOr(secrets[APP_SIGNING_SECRET]), { onNone: () => [], onSome: Settings.splitSecrets })
  })
