/**
 * How a GitHub publication narrows what it gets: its granularities (one session per issue or
 * pull request, or one per installation) and its filters. `repo` also bounds what the tools may
 * touch; `trigger` is the kernel's trigger filter over GitHub's triggers; `label` replaces the
 * deployment's trigger label.
 */
import type { Granularity, Publication } from "../../../kernel/domain/Publication.ts"
import type { FilterDefinition } from "../../../kernel/provider/Provider.ts"
import { type FilterCheck, matchesAny, TRIGGER_FILTER } from "../../../kernel/provider/Routing.ts"

export const REPO_FILTER = "repo"
export const LABEL_FILTER = "label"
export { TRIGGER_FILTER }

/**
 * `mention`: the bot @mentioned in an issue, pull request, comment or review. `assignment`: the
 * bot assigned. `review_request`: a review requested from the bot. `label`: the trigger label
 * added. `comment`: a later comment or review on an item with a live session resumes it.
 */
export const TRIGGERS = ["mention", "assignment", "review_request", "label", "comment"] as const
export type Trigger = typeof TRIGGERS[number]

export const granularities: ReadonlyArray<Granularity> = ["issue", "workspace"]

export const filters = (triggerLabel: string): ReadonlyArray<FilterDefinition> => [
  { key: REPO_FILTER, description: "Only these repositories (owner/name); also limits what the tools may touch" },
  {
    key: TRIGGER_FILTER,
    description: "What starts or resumes work: mention, assignment, review_request, label, comment (a later comment " +
      "or review resumes a live session). Default: all"
  },
  { key: LABEL_FILTER, description: `The trigger labels (default: GITHUB_TRIGGER_LABEL, "${triggerLabel}")` }
]

/** The event's repository must be one the publication lists (GitHub names are case-insensitive). */
export const repoFilter = (repo: string, subject: string): FilterCheck => ({
  key: REPO_FILTER,
  admits: (wanted) => matchesAny(wanted, repo),
  outside: `${subject} is outside this publication's repo filter`
})

/** The publication's trigger labels, else the deployment's. */
export const triggerLabelsOf = (publication: Publication, fallback: string): ReadonlyArray<string> => {
  const chosen = publication.filters[LABEL_FILTER] ?? []
  return chosen.length === 0 ? [fallback] : chosen
}
