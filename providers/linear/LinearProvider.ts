/**
 * The Linear provider: Linear's agent sessions (and, for workspaces without them, assignments
 * and mentions) become session dispatches, and the agent acts back through Linear's GraphQL API.
 *
 * `make` reads the Linear settings once (see `LinearConfig.ts`). Missing credentials do not fail
 * it: the provider is still listed, and installing or receiving webhooks fails with the typed
 * `NotConfigured` errors until they are set.
 */
import { Effect } from "effect"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import type { IntegrationProvider, ProviderFactory } from "../../kernel/provider/Provider.ts"
import * as LinearClient from "./LinearClient.ts"
import * as LinearConfig from "./LinearConfig.ts"
import { TEAM_FILTER, TRIGGER_FILTER } from "./LinearDispatch.ts"
import * as LinearOAuth from "./LinearOAuth.ts"
import * as LinearTools from "./LinearTools.ts"
import * as LinearWebhooks from "./LinearWebhooks.ts"

export const LINEAR_PROVIDER_ID = ProviderId.make("linear")

export const fromSettings = (settings: LinearConfig.LinearSettings): IntegrationProvider => ({
  id: LINEAR_PROVIDER_ID,
  displayName: "Linear",
  description: "Agents answer Linear agent sessions (mentions and delegated issues), or assignments and mentions " +
    "in workspaces without agent sessions, and act on issues, comments and labels.",
  install: [LinearOAuth.make(settings)],
  webhook: LinearWebhooks.make(settings),
  tools: LinearTools.make(LinearClient.make(settings.apiUrl)),
  scopes: LinearTools.scopes,
  granularities: ["workspace", "issue"],
  filters: [
    { key: TEAM_FILTER, description: "Only issues of these teams (team ids or keys such as ENG)" },
    {
      key: TRIGGER_FILTER,
      description: "What starts or resumes work: agent_session, assignment, mention, comment (any new comment resumes " +
        "a live issue session). Default: agent_session, assignment, mention. Leave assignment and mention out when " +
        "the Linear app also receives agent session events, which report the same mentions."
    }
  ]
})

export const make: ProviderFactory = Effect.map(LinearConfig.load, fromSettings)
