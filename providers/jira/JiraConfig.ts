/**
 * The Jira provider's settings, read once from Effect Config when the provider is built.
 *
 * | env | meaning |
 * |---|---|
 * | JIRA_CLIENT_ID | OAuth 2.0 (3LO) app client id (developer console) |
 * | JIRA_CLIENT_SECRET | its secret (Redacted) |
 * | JIRA_WEBHOOK_SECRET | the secret of the admin webhook; a comma-separated list during a rotation (Redacted) |
 * | JIRA_AUTH_URL | authorization server origin (default https://auth.atlassian.com) |
 * | JIRA_API_URL | API gateway origin for 3LO calls and accessible-resources (default https://api.atlassian.com) |
 * | JIRA_SITE_HOSTS | hosts a pasted site URL may have, `*.` for any subdomain (default `*.atlassian.net`) |
 *
 * Missing settings are not a ConfigError: a deployment that has not set up Jira still lists the
 * provider; OAuth fails with `NotConfigured` until the client is set, webhooks until the secret
 * is, and credential paste needs neither.
 */
import { Config, Effect, Option, Redacted } from "effect"
import { nonEmpty, splitSecrets, withoutTrailingSlash } from "../../kernel/provider/Settings.ts"

export interface JiraOAuthCredentials {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
}

export interface JiraSettings {
  readonly oauth: Option.Option<JiraOAuthCredentials>
  /** Every secret a signature may be made with; empty when webhooks are not configured. */
  readonly webhookSecrets: ReadonlyArray<Redacted.Redacted<string>>
  /** No trailing slash, so paths can be appended. */
  readonly authUrl: string
  readonly apiUrl: string
  /** Lowercase host patterns; `*.atlassian.net` matches any one subdomain. */
  readonly siteHosts: ReadonlyArray<string>
}

const list = (value: string): ReadonlyArray<string> =>
  value.split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0)

const raw = Config.all({
  clientId: Config.option(Config.String("JIRA_CLIENT_ID")),
  clientSecret: Config.option(Config.Redacted("JIRA_CLIENT_SECRET")),
  webhookSecret: Config.option(Config.Redacted("JIRA_WEBHOOK_SECRET")),
  authUrl: Config.URL("JIRA_AUTH_URL").pipe(Config.withDefault(new URL("https://auth.atlassian.com"))),
  apiUrl: Config.URL("JIRA_API_URL").pipe(Config.withDefault(new URL("https://api.atlassian.com"))),
  siteHosts: Config.String("JIRA_SITE_HOSTS").pipe(Config.withDefault("*.atlassian.net"))
})

export const load: Effect.Effect<JiraSettings, Config.ConfigError> = Effect.map(raw, (values) => {
  const clientSecret = Option.filter(values.clientSecret, (secret) => Redacted.value(secret).trim().length > 0)
  return {
    oauth: Option.zipWith(nonEmpty(values.clientId), clientSecret, (clientId, secret) => ({ clientId, clientSecret: secret })),
    webhookSecrets: Option.match(values.webhookSecret, { onNone: () => [], onSome: splitSecrets }),
    authUrl: withoutTrailingSlash(values.authUrl),
    apiUrl: withoutTrailingSlash(values.apiUrl),
    siteHosts: list(values.siteHosts.toLowerCase())
  }
})
