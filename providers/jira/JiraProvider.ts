/**
 * The Jira Cloud provider: an issue assigned to the agent's Jira account, or a comment mentioning
 * it, becomes a session dispatch (later comments on the issue resume that session), and the agent
 * acts back through Jira's REST API v3. Its parts, by the contract's four questions:
 *
 * - install: OAuth 2.0 (3LO), the site chosen on Atlassian's consent page, and credential paste
 *   (site URL, account e-mail, API token) held to a site allowlist;
 * - webhook: admin webhooks signed with a secret, and what each event means for a publication;
 * - tools: one file each under `tools/`, on the REST client in `client/`;
 * - publication: scopes, the issue and workspace granularities, the project filter.
 *
 * `make` reads the settings once (`JiraSettings.ts`); missing settings never fail it: the
 * provider is still listed, and what needs a missing setting fails with `NotConfigured`.
 */
import { Effect } from "effect"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import type { IntegrationProvider, ProviderFactory } from "../../kernel/provider/Provider.ts"
import * as JiraClient from "./client/JiraClient.ts"
import * as CredentialPaste from "./install/CredentialPaste.ts"
import * as OAuth from "./install/OAuth.ts"
import * as JiraSettings from "./JiraSettings.ts"
import * as JiraPublication from "./publication/JiraPublication.ts"
import * as JiraTools from "./tools/JiraTools.ts"
import * as JiraWebhook from "./webhook/JiraWebhook.ts"

export const JIRA_PROVIDER_ID = ProviderId.make("jira")

export const fromSettings = (settings: JiraSettings.JiraSettings): IntegrationProvider => {
  const client = JiraClient.make(settings.apiUrl, settings.siteHosts)
  return {
    id: JIRA_PROVIDER_ID,
    displayName: "Jira",
    description: "Agents take Jira Cloud issues assigned to their account or comments that mention it, and act on issues, " +
      "comments, assignees, labels and workflow statuses.",
    install: [OAuth.make(settings, client), CredentialPaste.make(settings, client)],
    webhook: JiraWebhook.make(settings),
    tools: JiraTools.make(client),
    scopes: JiraPublication.scopes,
    granularities: JiraPublication.granularities,
    defaultGranularity: "issue",
    filters: JiraPublication.filters
  }
}

export const make: ProviderFactory = Effect.map(JiraSettings.load, fromSettings)
