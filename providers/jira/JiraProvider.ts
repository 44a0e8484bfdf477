/**
 * The Jira Cloud provider: an issue assigned to the agent's Jira account, or a comment mentioning
 * it, becomes a session dispatch (later comments on the issue resume that session), and the agent
 * acts back through Jira's REST API v3.
 *
 * Two install types: OAuth 2.0 (3LO), the site chosen on Atlassian's consent page and found
 * through accessible-resources; and credential paste (site URL, account e-mail, API token).
 * Webhooks are Jira admin webhooks with a secret (`X-Hub-Signature: sha256=`).
 *
 * Written only against the public provider contract (`kernel/provider/`). `make` reads the Jira
 * settings once (`JiraConfig.ts`); missing settings never fail it: the provider is still listed,
 * and what needs a missing setting fails with a typed `NotConfigured` error.
 */
import { Effect } from "effect"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import type { IntegrationProvider, ProviderFactory } from "../../kernel/provider/Provider.ts"
import * as JiraClient from "./JiraClient.ts"
import * as JiraConfig from "./JiraConfig.ts"
import * as JiraCredentials from "./JiraCredentials.ts"
import { PROJECT_FILTER } from "./JiraDispatch.ts"
import * as JiraOAuth from "./JiraOAuth.ts"
import * as JiraTools from "./JiraTools.ts"
import * as JiraWebhooks from "./JiraWebhooks.ts"

export const JIRA_PROVIDER_ID = ProviderId.make("jira")

export const fromSettings = (settings: JiraConfig.JiraSettings): IntegrationProvider => {
  const client = JiraClient.make(settings.apiUrl)
  return {
    id: JIRA_PROVIDER_ID,
    displayName: "Jira",
    description: "Agents take Jira Cloud issues assigned to their account or comments that mention it, and act on issues, " +
      "comments, assignees, labels and workflow statuses.",
    install: [JiraOAuth.make(settings, client), JiraCredentials.make(settings, client)],
    webhook: JiraWebhooks.make(settings),
    tools: JiraTools.make(client),
    scopes: JiraTools.scopes,
    granularities: ["issue", "workspace"],
    filters: [{ key: PROJECT_FILTER, description: "Only issues of these projects (keys such as ENG, or project ids)" }]
  }
}

export const make: ProviderFactory = Effect.map(JiraConfig.load, fromSettings)
