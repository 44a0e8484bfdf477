/**
 * The GitHub provider's settings, read once from Effect Config when the provider is built.
 *
 * | env | meaning |
 * |---|---|
 * | GITHUB_API_URL | REST API origin (default https://api.github.com; GHES: https://<host>/api/v3) |
 * | GITHUB_WEB_URL | web origin for app creation and install pages (default https://github.com) |
 * | GITHUB_TRIGGER_LABEL | the label that hands an issue or pull request to the agent (default `agent`) |
 * | GITHUB_APP_ID, GITHUB_APP_SLUG, GITHUB_APP_PRIVATE_KEY | a deployment-owned GitHub App (optional) |
 * | GITHUB_WEBHOOK_SECRET | that app's webhook secret; a comma-separated list during a rotation |
 * | GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET | that app's OAuth client, to prove who installs it |
 *
 * Tenant-owned apps (made by the manifest flow or pasted) need none of the app settings: their
 * credentials live sealed in their registration. Missing settings are never a ConfigError: the
 * provider is always listed, and what needs a missing setting fails with `NotConfigured`.
 */
import { Config, Effect, Option, Redacted } from "effect"
import { nonEmpty, splitSecrets, withoutTrailingSlash } from "../../kernel/provider/Settings.ts"

/** The deployment's own GitHub App, shared by every tenant that installs it. */
export interface DeploymentApp {
  readonly appId: string
  readonly slug: string
  readonly privateKey: Redacted.Redacted<string>
  readonly oauth: Option.Option<{ readonly clientId: string; readonly clientSecret: Redacted.Redacted<string> }>
}

export interface GitHubSettings {
  /** No trailing slash, so paths can be appended. */
  readonly apiUrl: string
  readonly webUrl: string
  readonly triggerLabel: string
  readonly app: Option.Option<DeploymentApp>
  /** The deployment app's webhook secrets, newest first; empty when not configured. */
  readonly webhookSecrets: ReadonlyArray<Redacted.Redacted<string>>
}

/** Env files often carry a PEM on one line with literal `\n`; GitHub's PEM has real newlines. */
export const normalizePem = (pem: string): string => pem.replace(/\\n/g, "\n").trim()

const raw = Config.all({
  apiUrl: Config.URL("GITHUB_API_URL").pipe(Config.withDefault(new URL("https://api.github.com"))),
  webUrl: Config.URL("GITHUB_WEB_URL").pipe(Config.withDefault(new URL("https://github.com"))),
  triggerLabel: Config.option(Config.String("GITHUB_TRIGGER_LABEL")),
  appId: Config.option(Config.String("GITHUB_APP_ID")),
  appSlug: Config.option(Config.String("GITHUB_APP_SLUG")),
  privateKey: Config.option(Config.Redacted("GITHUB_APP_PRIVATE_KEY")),
  webhookSecret: Config.option(Config.Redacted("GITHUB_WEBHOOK_SECRET")),
  clientId: Config.option(Config.String("GITHUB_CLIENT_ID")),
  clientSecret: Config.option(Config.Redacted("GITHUB_CLIENT_SECRET"))
})

const redactedText = (value: Option.Option<Redacted.Redacted<string>>): Option.Option<string> =>
  nonEmpty(Option.map(value, Redacted.value))

export const load: Effect.Effect<GitHubSettings, Config.ConfigError> = Effect.map(raw, (values) => {
  const oauth = Option.zipWith(
    nonEmpty(values.clientId),
    redactedText(values.clientSecret),
    (clientId, secret) => ({ clientId, clientSecret: Redacted.make(secret) })
  )
  const app = Option.all({
    appId: nonEmpty(values.appId),
    slug: nonEmpty(values.appSlug),
    privateKey: Option.map(redactedText(values.privateKey), (pem) => Redacted.make(normalizePem(pem)))
  }).pipe(Option.map((parts): DeploymentApp => ({ ...parts, oauth })))
  return {
    apiUrl: withoutTrailingSlash(values.apiUrl),
    webUrl: withoutTrailingSlash(values.webUrl),
    triggerLabel: Option.getOrElse(nonEmpty(values.triggerLabel), () => "agent"),
    app,
    webhookSecrets: Option.match(redactedText(values.webhookSecret), {
      onNone: () => [],
      onSome: (text) => splitSecrets(Redacted.make(text))
    })
  }
})
