/**
 * Builders for Linear webhook payloads, shaped like real AgentSessionEvent deliveries (including
 * fields the provider does not read, so tests prove unknown fields are tolerated). Defaults match
 * the fake's organization and app user.
 */
export interface IssueFixture {
  readonly id?: string | undefined
  readonly identifier?: string | undefined
  readonly title?: string | undefined
  readonly description?: string | undefined
  readonly teamId?: string | undefined
  readonly teamKey?: string | undefined
}

export interface SessionFixture {
  readonly organizationId?: string | undefined
  readonly appUserId?: string | undefined
  readonly sessionId?: string | undefined
  readonly issue?: IssueFixture | null | undefined
  readonly creatorId?: string | undefined
  readonly creatorName?: string | undefined
  readonly promptContext?: string | null | undefined
  readonly commentBody?: string | undefined
}

const DEFAULT_ORGANIZATION = "org-fake-0000-0000-000000000001"
const DEFAULT_APP_USER = "user-app-0000-0000-000000000001"

const issuePayload = (issue: IssueFixture, organizationUrlKey: string) => {
  const identifier = issue.identifier ?? "ENG-1"
  const teamId = issue.teamId ?? "team-eng-0000-0000-000000000001"
  return {
    id: issue.id ?? "issue-0000-0000-0000-000000000001",
    identifier,
    title: issue.title ?? "Fix the flaky login test",
    description: issue.description ?? "It fails one run in ten.",
    url: `https://linear.app/${organizationUrlKey}/issue/${identifier}`,
    teamId,
    team: { id: teamId, key: issue.teamKey ?? "ENG", name: "Engineering" },
    priority: 2,
    labels: [{ id: "label-1", name: "bug", color: "#eb5757" }]
  }
}

const sessionPayload = (fixture: SessionFixture) => {
  const organizationId = fixture.organizationId ?? DEFAULT_ORGANIZATION
  const appUserId = fixture.appUserId ?? DEFAULT_APP_USER
  const creatorId = fixture.creatorId ?? "user-human-0000-0000-000000000001"
  const issue = fixture.issue === null ? null : issuePayload(fixture.issue ?? {}, "fake-workspace")
  const commentId = "comment-0000-0000-0000-000000000001"
  return {
    organizationId,
    appUserId,
    oauthClientId: "fake-linear-client-id",
    createdAt: "2026-11-29T12:00:00.000Z",
    agentSession: {
      id: fixture.sessionId ?? "session-0000-0000-0000-000000000001",
      appUserId,
      organizationId,
      status: "pending",
      type: "commentThread",
      createdAt: "2026-11-29T12:00:00.000Z",
      updatedAt: "2026-11-29T12:00:00.000Z",
      sourceMetadata: { agentSessionMetadata: { source: "mention" } },
      creatorId,
      creator: { id: creatorId, name: fixture.creatorName ?? "Ada Lovelace", email: "ada@example.com" },
      issueId: issue?.id ?? null,
      issue,
      commentId,
      comment: { id: commentId, body: fixture.commentBody ?? "@agent please look at this", userId: creatorId }
    },
    guidance: [{ body: "Prefer small pull requests.", origin: { __typename: "TeamOriginWebhookPayload" } }]
  }
}

export const agentSessionCreated = (fixture: SessionFixture = {}) => ({
  type: "AgentSessionEvent",
  action: "created",
  ...sessionPayload(fixture),
  promptContext: fixture.promptContext === undefined
    ? "<issue identifier=\"ENG-1\"><title>Fix the flaky login test</title></issue>"
    : fixture.promptContext,
  previousComments: []
})

export interface PromptFixture extends SessionFixture {
  readonly body?: string | undefined
  readonly userId?: string | undefined
  readonly signal?: string | undefined
}

export const agentSessionPrompted = (fixture: PromptFixture = {}) => {
  const session = sessionPayload(fixture)
  return {
    type: "AgentSessionEvent",
    action: "prompted",
    ...session,
    agentActivity: {
      id: "activity-0000-0000-0000-000000000001",
      agentSessionId: session.agentSession.id,
      userId: fixture.userId ?? "user-human-0000-0000-000000000001",
      sourceCommentId: "comment-0000-0000-0000-000000000002",
      createdAt: "2026-11-29T12:05:00.000Z",
      updatedAt: "2026-11-29T12:05:00.000Z",
      signal: fixture.signal ?? null,
      content: { type: "prompt", body: fixture.body ?? "Also check the logout flow" }
    }
  }
}

/**
 * Data-change webhooks (`Issue`, `Comment`), shaped as Linear sends them: `action`, `type`,
 * `actor` (who made the change), `data` (the entity after it), `updatedFrom` (the previous values
 * of what an update changed, keys present only for changed fields), `url`, `createdAt`.
 */
export interface ActorFixture {
  readonly id?: string | undefined
  readonly name?: string | undefined
}

const actorPayload = (actor: ActorFixture = {}) => ({
  id: actor.id ?? "user-human-0000-0000-000000000001",
  name: actor.name ?? "Ada Lovelace",
  email: "ada@example.com",
  type: "user"
})

const issueData = (issue: IssueFixture, assigneeId: string | null) => ({
  ...issuePayload(issue, "fake-workspace"),
  createdAt: "2026-11-29T11:00:00.000Z",
  updatedAt: "2026-11-29T12:00:00.000Z",
  number: 1,
  stateId: "state-eng-todo",
  state: { id: "state-eng-todo", name: "Todo", type: "unstarted", color: "#e2e2e2" },
  assigneeId,
  assignee: assigneeId === null ? null : { id: assigneeId, name: assigneeId === DEFAULT_APP_USER ? "Switchboard Agent" : "Someone" },
  delegateId: null,
  labelIds: ["label-1"],
  subscriberIds: [],
  creatorId: "user-human-0000-0000-000000000001"
})

export interface IssueEventFixture {
  readonly organizationId?: string | undefined
  readonly action?: "create" | "update" | "remove" | undefined
  readonly actor?: ActorFixture | undefined
  readonly issue?: IssueFixture | undefined
  readonly assigneeId?: string | null | undefined
  /** The assignee before an update; leave it out when the update did not touch the assignee. */
  readonly previousAssigneeId?: string | null | undefined
  /** Other previous values an update reports, such as `{ title: "Old" }`. */
  readonly updatedFrom?: Readonly<Record<string, unknown>> | undefined
}

export const issueEvent = (fixture: IssueEventFixture = {}) => {
  const action = fixture.action ?? "update"
  const data = issueData(fixture.issue ?? {}, fixture.assigneeId === undefined ? null : fixture.assigneeId)
  const updatedFrom = {
    updatedAt: "2026-11-29T11:59:00.000Z",
    ...(fixture.previousAssigneeId === undefined ? {} : { assigneeId: fixture.previousAssigneeId }),
    ...fixture.updatedFrom
  }
  return {
    action,
    type: "Issue",
    createdAt: "2026-11-29T12:00:00.000Z",
    organizationId: fixture.organizationId ?? DEFAULT_ORGANIZATION,
    url: data.url,
    actor: actorPayload(fixture.actor),
    data,
    ...(action === "update" ? { updatedFrom } : {})
  }
}

/** An existing issue assigned to the app user (it was unassigned). */
export const issueAssigned = (fixture: IssueEventFixture = {}) =>
  issueEvent({ previousAssigneeId: null, ...fixture, assigneeId: fixture.assigneeId ?? DEFAULT_APP_USER })

/** An issue taken away from the app user. */
export const issueUnassigned = (fixture: IssueEventFixture = {}) =>
  issueEvent({ assigneeId: null, ...fixture, previousAssigneeId: fixture.previousAssigneeId ?? DEFAULT_APP_USER })

export interface CommentFixture {
  readonly organizationId?: string | undefined
  readonly action?: "create" | "update" | "remove" | undefined
  readonly id?: string | undefined
  readonly body?: string | undefined
  readonly userId?: string | undefined
  readonly userName?: string | undefined
  readonly issue?: IssueFixture | undefined
  readonly parentId?: string | null | undefined
}

export const commentEvent = (fixture: CommentFixture = {}) => {
  const issue = issuePayload(fixture.issue ?? {}, "fake-workspace")
  const userId = fixture.userId ?? "user-human-0000-0000-000000000001"
  const id = fixture.id ?? "comment-0000-0000-0000-000000000003"
  return {
    action: fixture.action ?? "create",
    type: "Comment",
    createdAt: "2026-11-29T12:10:00.000Z",
    organizationId: fixture.organizationId ?? DEFAULT_ORGANIZATION,
    url: `${issue.url}#comment-${id.slice(0, 8)}`,
    actor: actorPayload({ id: userId, name: fixture.userName }),
    data: {
      id,
      createdAt: "2026-11-29T12:10:00.000Z",
      updatedAt: "2026-11-29T12:10:00.000Z",
      body: fixture.body ?? "@switchboard can you take a look?",
      issueId: issue.id,
      issue: { id: issue.id, identifier: issue.identifier, title: issue.title, teamId: issue.teamId, team: issue.team, url: issue.url },
      userId,
      user: { id: userId, name: fixture.userName ?? "Ada Lovelace" },
      parentId: fixture.parentId ?? null,
      reactionData: []
    }
  }
}
