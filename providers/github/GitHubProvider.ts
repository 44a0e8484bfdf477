/**
 * The GitHub provider: a GitHub App, used the way a coding agent is used on real repositories.
 * The bot @mentioned, assigned, asked for a review or handed a trigger label on an issue or pull
 * request starts a session keyed by the item; later comments resume it; the agent reads and
 * writes issues, pull requests, reviews, branches and files through the installation's token.
 *
 * Each tenant normally runs its own App (`registration`: the manifest flow, or a paste of an
 * App made by hand); a deployment may also run one shared App from its settings. `make` reads
 * the settings once (`GitHubConfig.ts`); missing settings never fail it.
 */
import { Effect } from "effect"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import type { IntegrationProvider, ProviderFactory } from "../../kernel/provider/Provider.ts"
import * as GitHubApp from "./GitHubApp.ts"
import * as GitHubClient from "./GitHubClient.ts"
import * as GitHubConfig from "./GitHubConfig.ts"
import * as GitHubOAuth from "./GitHubOAuth.ts"
import { LABEL_FILTER, REPO_FILTER, TRIGGER_FILTER } from "./GitHubRouting.ts"
import * as GitHubTools from "./GitHubTools.ts"
import * as GitHubWebhooks from "./GitHubWebhooks.ts"

export const GITHUB_PROVIDER_ID = ProviderId.make("github")

export const fromSettings = (settings: GitHubConfig.GitHubSettings): IntegrationProvider => ({
  id: GITHUB_PROVIDER_ID,
  displayName: "GitHub",
  description: "A GitHub App: agents answer when its bot is @mentioned, assigned, asked for a review or an issue is " +
    "labelled for it, continue on later comments, and comment, label, review, branch, commit and open pull requests.",
  install: [GitHubOAuth.make(settings)],
  registration: GitHubApp.make(settings),
  webhook: GitHubWebhooks.make(settings),
  tools: GitHubTools.make(GitHubClient.make(settings.apiUrl)),
  scopes: GitHubTools.scopes,
  granularities: ["issue", "workspace"],
  filters: [
    { key: REPO_FILTER, description: "Only these repositories (owner/name); also limits what the tools may touch" },
    {
      key: TRIGGER_FILTER,
      description: "What starts or resumes work: mention, assignment, review_request, label, comment (a later comment " +
        "or review resumes a live session). Default: all"
    },
    { key: LABEL_FILTER, description: `The trigger labels (default: GITHUB_TRIGGER_LABEL, "${settings.triggerLabel}")` }
  ]
})

export const make: ProviderFactory = Effect.map(GitHubConfig.load, fromSettings)
