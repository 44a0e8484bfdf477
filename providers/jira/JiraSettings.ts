/**
 * The Jira provider's settings, read once from Effect Config when the provider is built.
 *
 * | env | meaning |
 * |---|---|
 * | JIRA_CLIENT_ID, JIRA_CLIENT_SECRET | the OAuth 2.0 (3LO) app (developer console) |
 * | JIRA_WEBHOOK_SECRET | the admin webhook's secret; a comma-separated list during a rotation |
 * | JIRA_AUTH_URL | authorization server origin (default https://auth.atlassian.com) |
 * | JIRA_API_URL | API gateway origin for 3LO calls and accessible-resources (default https://api.atlassian.com) |
 * | JIRA_SITE_HOSTS | hosts a pasted site URL may have, `*.` for any subdomain, `:port` for a port other than the default (default `*.atlassian.net`) |
 *
 * Nothing here is required: OAuth fails with `NotConfigured` until the client is set, webhooks
 * until the secret is, and credential paste needs neither.
 */
import { Config } from "effect"
import * as Settings from "../../kernel/provider/Settings.ts"

const config = Config.all({
  oauth: Settings.oauthClient("JIRA"),
  webhookSecrets: Settings.secrets("JIRA_WEBHOOK_SECRET"),
  authUrl: Settings.baseUrl("JIRA_AUTH_URL", "https://auth.atlassian.com"),
  apiUrl: Settings.baseUrl("JIRA_API_URL", "https://api.atlassian.com"),
  /** Lowercase host patterns; `*.atlassian.net` matches any one subdomain; a port must be named to be allowed. */
  siteHosts: Config.map(Settings.list("JIRA_SITE_HOSTS", "*.atlassian.net"), (hosts) => hosts.map((host) => host.toLowerCase()))
})

export type JiraSettings = Config.Success<typeof config>

export const load = config
