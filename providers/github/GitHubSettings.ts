/**
 * The GitHub provider's settings, read once from Effect Config (the kernel's `Settings` readers)
 * when the provider is built.
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
import * as Settings from "../../kernel/provider/Settings.ts"

/** The deployment's own GitHub App, shared by every tenant that installs it. */
export interface DeploymentApp {
  readonly appId: string
  readonly slug: string
  readonly privateKey: Redacted.Redacted<string>
  readonly oauth: Option.Option<Settings.OAuthClient>
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

const config = Config.all({
  apiUrl: Settings.baseUrl("GITHUB_API_URL", "https://api.github.com"),
  webUrl: Settings.baseUrl("GITHUB_WEB_URL", "https://github.com"),
  triggerLabel: Settings.text("GITHUB_TRIGGER_LABEL"),
  appId: Settings.text("GITHUB_APP_ID"),
  appSlug: Settings.text("GITHUB_APP_SLUG"),
  privateKey: Settings.secret("GITHUB_APP_PRIVATE_KEY"),
  webhookSecrets: Settings.secrets("GITHUB_WEBHOOK_SECRET"),
  oauth: Settings.oauthClient("GITHUB")
})

export const load: Effect.Effect<GitHubSettings, Config.ConfigError> = Effect.map(config, (values) => ({
  apiUrl: values.apiUrl,
  webUrl: values.webUrl,
  triggerLabel: Option.getOrElse(values.triggerLabel, () => "agent"),
  app: Option.all({
    appId: values.appId,
    slug: values.appSlug,
    privateKey: Option.map(values.privateKey, (pem) => Redacted.make(normalizePem(Redacted.value(pem))))
  }).pipe(Option.map((parts): DeploymentApp => ({ ...parts, oauth: values.oauth }))),
  webhookSecrets: values.webhookSecrets
}))
