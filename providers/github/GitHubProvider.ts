/**
 * The GitHub provider: a GitHub App, used the way a coding agent is used on real repositories.
 * The bot @mentioned, assigned, asked for a review or handed a trigger label on an issue or pull
 * request starts a session keyed by the item; later comments resume it; the agent reads and
 * writes issues, pull requests, reviews, branches and files through the installation's token.
 *
 * Each tenant normally runs its own App (`registration`: the manifest flow, or a paste of an
 * App made by hand); a deployment may also run one shared App from its settings. `make` reads
 * the settings once (`GitHubSettings.ts`); missing settings never fail it.
 */
import { Effect } from "effect"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import type { IntegrationProvider, ProviderFactory } from "../../kernel/provider/Provider.ts"
import * as GitHubSettings from "./GitHubSettings.ts"
import * as AppInstall from "./install/AppInstall.ts"
import * as AppRegistration from "./install/AppRegistration.ts"
import * as Filters from "./publication/Filters.ts"
import * as Scopes from "./publication/Scopes.ts"
import * as GitHubClient from "./tools/GitHubClient.ts"
import * as GitHubTools from "./tools/GitHubTools.ts"
import * as GitHubWebhook from "./webhook/GitHubWebhook.ts"

export const GITHUB_PROVIDER_ID = ProviderId.make("github")

export const fromSettings = (settings: GitHubSettings.GitHubSettings): IntegrationProvider => ({
  id: GITHUB_PROVIDER_ID,
  displayName: "GitHub",
  description: "A GitHub App: agents answer when its bot is @mentioned, assigned, asked for a review or an issue is " +
    "labelled for it, continue on later comments, and comment, label, review, branch, commit and open pull requests.",
  install: [AppInstall.make(settings)],
  registration: AppRegistration.make(settings),
  webhook: GitHubWebhook.make(settings),
  tools: GitHubTools.make(GitHubClient.make(settings.apiUrl)),
  scopes: Scopes.scopeDefinitions,
  granularities: Filters.granularities,
  defaultGranularity: "issue",
  filters: Filters.filters(settings.triggerLabel)
})

export const make: ProviderFactory = Effect.map(GitHubSettings.load, fromSettings)
