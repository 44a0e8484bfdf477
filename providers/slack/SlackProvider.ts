/**
 * The Slack provider: an agent that lives in a Slack workspace. Mentions, direct messages,
 * replies in its threads and assistant threads become session dispatches; the agent acts back
 * through Slack's Web API (messages, threads, reactions, history, people, channels, files).
 *
 * Installs with OAuth v2, for the deployment's own Slack app (SLACK_* settings, read once in
 * `SlackConfig.ts`) or a tenant's own app registered by credential paste, with a generated
 * manifest to paste into Slack (`install/SlackRegistration.ts`). Missing settings do not fail
 * `make`: the provider is still listed, and the parts that need them fail with `NotConfigured`.
 */
import { Effect } from "effect"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import type { IntegrationProvider, ProviderFactory } from "../../kernel/provider/Provider.ts"
import * as SlackOAuth from "./install/SlackOAuth.ts"
import * as SlackRegistration from "./install/SlackRegistration.ts"
import * as SlackRouting from "./publication/SlackRouting.ts"
import * as SlackScopes from "./publication/SlackScopes.ts"
import * as SlackClient from "./SlackClient.ts"
import * as SlackConfig from "./SlackConfig.ts"
import * as SlackTools from "./tools/SlackTools.ts"
import * as SlackWebhook from "./webhook/SlackWebhook.ts"

export const SLACK_PROVIDER_ID = ProviderId.make("slack")

export const fromSettings = (settings: SlackConfig.SlackSettings): IntegrationProvider => ({
  id: SLACK_PROVIDER_ID,
  displayName: "Slack",
  description: "Agents answer @-mentions (in a new or existing thread), direct messages, replies in their threads and " +
    "assistant threads, and post, reply, react, read history, look people up and share files.",
  install: [SlackOAuth.make(settings)],
  registration: SlackRegistration.make(settings),
  webhook: SlackWebhook.make(settings),
  tools: SlackTools.make(SlackClient.make(settings.apiUrl)),
  scopes: SlackScopes.scopes,
  granularities: SlackRouting.granularities,
  defaultGranularity: "thread",
  filters: SlackRouting.filters
})

export const make: ProviderFactory = Effect.map(SlackConfig.load, fromSettings)
