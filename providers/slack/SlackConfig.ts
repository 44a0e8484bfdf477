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
import { Config, Effect, Option, Redacted } from "effect"
import type { AppContext } from "../../kernel/provider/Registration.ts"
import { nonEmpty, splitSecrets, withoutTrailingSlash } from "../../kernel/provider/Settings.ts"

export interface SlackAppCredentials {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
}

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

const raw = Config.all({
  clientId: Config.option(Config.String("SLACK_CLIENT_ID")),
  clientSecret: Config.option(Config.Redacted("SLACK_CLIENT_SECRET")),
  signingSecret: Config.option(Config.Redacted("SLACK_SIGNING_SECRET")),
  apiUrl: Config.URL("SLACK_API_URL").pipe(Config.withDefault(new URL("https://slack.com/api"))),
  oauthUrl: Config.URL("SLACK_OAUTH_URL").pipe(Config.withDefault(new URL("https://slack.com")))
})

export const load: Effect.Effect<SlackSettings, Config.ConfigError> = Effect.map(raw, (values) => {
  const clientId = nonEmpty(values.clientId)
  const clientSecret = Option.filter(values.clientSecret, (secret) => Redacted.value(secret).trim().length > 0)
  return {
    oauth: Option.zipWith(clientId, clientSecret, (id, secret) => ({ clientId: id, clientSecret: secret })),
    signingSecrets: Option.match(values.signingSecret, { onNone: () => [], onSome: splitSecrets }),
    apiUrl: withoutTrailingSlash(values.apiUrl),
    oauthUrl: withoutTrailingSlash(values.oauthUrl)
  }
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
        nonEmpty(Option.fromNullishOr(registration.metadata[APP_CLIENT_ID])),
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
    onSome: ({ secrets }) => Option.match(Option.fromNullishOr(secrets[APP_SIGNING_SECRET]), { onNone: () => [], onSome: splitSecrets })
  })
