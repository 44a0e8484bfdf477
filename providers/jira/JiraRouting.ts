/**
 * What every Jira event goes through before it can dispatch to a publication: the issue must
 * pass the `project` filter, and the granularity must give a session key. Issue granularity
 * keys sessions by the issue's id (`jira:issue:<id>`: the id survives a move to another project,
 * the key does not), so an assignment and later comments on that issue share one session;
 * workspace granularity keys them by site (`jira:site:<host>`).
 */
import type { Schema } from "effect"
import { Option } from "effect"
import { SessionKey } from "../../kernel/domain/Ids.ts"
import type { Granularity, Publication } from "../../kernel/domain/Publication.ts"
import type { DispatchDecision } from "../../kernel/provider/Webhook.ts"
import { ignore } from "../../kernel/provider/Webhook.ts"
import type { Issue } from "./JiraEvents.ts"

export const PROJECT_FILTER = "project"

/** `assignment`: an issue assigned to the agent; `mention`: a comment mentioning it; `comment`: any later comment. */
export type Trigger = "assignment" | "mention" | "comment"

/** `ENG` from `ENG-42`, for payloads that leave the project out (comment events often do). */
const projectKeyOf = (issue: Issue): string => issue.fields?.project?.key ?? issue.key.replace(/-\d+$/, "")

const projectMatches = (issue: Issue, wanted: ReadonlyArray<string>): boolean => {
  const key = projectKeyOf(issue).toLowerCase()
  const id = issue.fields?.project?.id
  return wanted.some((entry) => entry.toLowerCase() === key || entry === id)
}

const sessionKeyFor = (granularity: Granularity, site: string, issue: Issue): Option.Option<SessionKey> => {
  switch (granularity) {
    case "workspace":
      return Option.some(SessionKey.make(`jira:site:${site}`))
    case "issue":
      return Option.some(SessionKey.make(`jira:issue:${issue.id}`))
    case "thread":
    case "user":
      return Option.none()
  }
}

/** The issue's page, `https://acme.atlassian.net/browse/ENG-1`, from its REST `self` URL. */
export const browseUrlOf = (issue: Issue): string | null =>
  issue.self !== undefined && issue.self !== null && URL.canParse(issue.self)
    ? `${new URL(issue.self).origin}/browse/${encodeURIComponent(issue.key)}`
    : null

/**
 * A stop names one issue. An issue session is that issue's work, so it stops; a workspace
 * session carries the work on every issue, so it is told instead (resumed if live).
 */
export const stopMode = (publication: Publication): "stop" | "resumeOnly" =>
  publication.granularity === "issue" ? "stop" : "resumeOnly"

export type Routed =
  | { readonly _tag: "Route"; readonly sessionKey: SessionKey; readonly context: Record<string, Schema.Json> }
  | { readonly _tag: "Skip"; readonly decision: DispatchDecision }

export const route = (options: {
  readonly publication: Publication
  readonly trigger: Trigger
  readonly site: string
  readonly issue: Issue
}): Routed => {
  const { issue, publication, site, trigger } = options
  const projects = publication.filters[PROJECT_FILTER] ?? []
  if (projects.length > 0 && !projectMatches(issue, projects)) {
    return { _tag: "Skip", decision: ignore(`issue ${issue.key} is in project ${projectKeyOf(issue)}, outside this publication's project filter`) }
  }
  const sessionKey = sessionKeyFor(publication.granularity, site, issue)
  if (Option.isNone(sessionKey)) {
    return { _tag: "Skip", decision: ignore(`Jira does not support "${publication.granularity}" granularity`) }
  }
  return {
    _tag: "Route",
    sessionKey: sessionKey.value,
    context: {
      trigger,
      site,
      issueId: issue.id,
      issueKey: issue.key,
      issueTitle: issue.fields?.summary ?? null,
      issueUrl: browseUrlOf(issue),
      projectKey: projectKeyOf(issue),
      projectId: issue.fields?.project?.id ?? null,
      status: issue.fields?.status?.name ?? null
    }
  }
}
