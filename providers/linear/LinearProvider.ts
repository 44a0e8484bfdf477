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
import * as LinearOAuth from "./install/LinearOAuth.ts"
import * as LinearClient from "./LinearClient.ts"
import * as LinearConfig from "./LinearConfig.ts"
import * as Routing from "./publication/Routing.ts"
import * as Scopes from "./publication/Scopes.ts"
import * as LinearTools from "./tools/LinearTools.ts"
import * as LinearWebhook from "./webhook/LinearWebhook.ts"

export const LINEAR_PROVIDER_ID = ProviderId.make("linear")

export const fromSettings = (settings: LinearConfig.LinearSettings): IntegrationProvider => ({
  id: LINEAR_PROVIDER_ID,
  displayName: "Linear",
  description: "Agents answer Linear agent sessions (mentions and delegated issues), or assignments and mentions " +
    "in workspaces without agent sessions, and act on issues, comments and labels.",
  install: [LinearOAuth.make(settings)],
  webhook: LinearWebhook.make(settings),
  tools: LinearTools.make(LinearClient.make(settings.apiUrl)),
  scopes: Scopes.scopes,
  granularities: Routing.granularities,
  defaultGranularity: "issue",
  filters: Routing.filters
})

export const make: ProviderFactory = Effect.map(LinearConfig.load, fromSettings)
