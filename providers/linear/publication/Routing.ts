/**
 * What a Linear publication can choose: its granularity (issue or workspace), the teams it
 * serves and the triggers it listens to; and how an event about an issue is routed through the
 * kernel's `route` with them. Issue granularity keys sessions by issue (`linear:issue:<id>`), so
 * an agent session and the classic path on one issue share a session; workspace granularity keys
 * them by organization (`linear:workspace:<id>`).
 */
import type { Granularity, Publication } from "../../../kernel/domain/Publication.ts"
import type { FilterDefinition } from "../../../kernel/provider/Provider.ts"
import { type FilterCheck, matchesAny, route, type Routed, TRIGGER_FILTER } from "../../../kernel/provider/Routing.ts"

export const TEAM_FILTER = "team"

/**
 * How work reaches a publication. `agent_session`: Linear's agent sessions (mention or
 * delegation, follow-up prompts, stop). `assignment` and `mention`: the classic path, for
 * workspaces without agent sessions. `comment`: any later comment resumes a live issue session
 * (opt-in, unlike the others: in a workspace with agent sessions, replies already arrive as prompts).
 */
export type Trigger = "agent_session" | "assignment" | "mention" | "comment"

/** What a publication without a trigger filter listens to: `comment` is opt-in. */
export const DEFAULT_TRIGGERS: ReadonlyArray<Trigger> = ["agent_session", "assignment", "mention"]

export const granularities: ReadonlyArray<Granularity> = ["workspace", "issue"]

export const filters: ReadonlyArray<FilterDefinition> = [
  { key: TEAM_FILTER, description: "Only issues of these teams (team ids or keys such as ENG)" },
  {
    key: TRIGGER_FILTER,
    description: "What starts or resumes work: agent_session, assignment, mention, comment (any new comment resumes " +
      `a live issue session). Default: ${DEFAULT_TRIGGERS.join(", ")}. Leave assignment and mention out when ` +
      "the Linear app also receives agent session events, which report the same mentions."
  }
]

/** The issue facts routing needs; every payload names at least the id. */
export interface IssueRef {
  readonly id: string
  readonly identifier?: string | null | undefined
  readonly title?: string | null | undefined
  readonly url?: string | null | undefined
  readonly teamId?: string | null | undefined
  readonly team?: { readonly id: string; readonly key?: string | null | undefined } | null | undefined
}

export const issueName = (issue: IssueRef): string => issue.identifier ?? issue.id

const inTeams = (issue: IssueRef): FilterCheck => ({
  key: TEAM_FILTER,
  admits: (wanted) => matchesAny(wanted, issue.teamId, issue.team?.id, issue.team?.key),
  outside: `issue ${issueName(issue)} belongs to ${
    issue.team?.key ?? issue.team?.id ?? issue.teamId ?? "an unknown team"
  }, outside this publication's team filter`
})

/** The session key and the issue's context for this publication, or why it does not get the event. */
export const routeIssue = (options: {
  readonly publication: Publication
  readonly trigger: Trigger
  readonly eventName: string
  readonly organizationId: string
  readonly issue: IssueRef
}): Routed => {
  const { issue, organizationId } = options
  return route({
    provider: "Linear",
    publication: options.publication,
    subject: options.eventName,
    trigger: options.trigger,
    defaultTriggers: DEFAULT_TRIGGERS,
    filters: [inTeams(issue)],
    sessionKeys: { workspace: `linear:workspace:${organizationId}`, issue: `linear:issue:${issue.id}` },
    context: {
      organizationId,
      issueId: issue.id,
      issueIdentifier: issue.identifier ?? null,
      issueTitle: issue.title ?? null,
      issueUrl: issue.url ?? null,
      teamId: issue.team?.id ?? issue.teamId ?? null,
      teamKey: issue.team?.key ?? null
    }
  })
}
