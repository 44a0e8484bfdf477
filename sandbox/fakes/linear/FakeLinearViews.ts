/**
 * The JSON the fake answers for each entity: whole objects with their relations resolved one
 * level deep (an issue's team, state, assignee, labels, parent, children and comments). The fake
 * does not trim to the selection set; the provider decodes what it selected and, like any
 * Linear client, must tolerate the rest. Filters are evaluated against these same views.
 */
import { Option } from "effect"
import type {
  FakeAgentActivity,
  FakeAgentSession,
  FakeComment,
  FakeIssue,
  FakeLabel,
  FakeLinearState,
  FakeTeam,
  FakeUser,
  FakeWorkflowState
} from "./FakeLinearState.ts"
import { labelNamed, statesOf } from "./FakeLinearData.ts"

export const connection = (nodes: ReadonlyArray<unknown>, first?: number) => {
  const page = first === undefined ? nodes : nodes.slice(0, first)
  return {
    nodes: page,
    pageInfo: { hasNextPage: page.length < nodes.length, endCursor: page.length > 0 ? String(page.length) : null }
  }
}

export const userView = (user: FakeUser, appUserId?: string) => ({
  id: user.id,
  name: user.name,
  displayName: user.displayName ?? user.name,
  email: user.email ?? null,
  active: true,
  app: user.id === appUserId
})

export const stateView = (state: FakeWorkflowState) => ({
  id: state.id,
  name: state.name,
  type: state.type,
  position: state.position,
  team: { id: state.teamId }
})

export const labelView = (state: FakeLinearState, label: FakeLabel) => ({
  id: label.id,
  name: label.name,
  color: label.color,
  team: label.teamId === null ? null : (state.teams.get(label.teamId) ?? null)
})

export const teamView = (state: FakeLinearState, team: FakeTeam) => ({
  ...team,
  states: connection(statesOf(state, team.id).map(stateView)),
  labels: connection([...state.labels.values()].filter((label) => label.teamId === team.id).map((label) => labelView(state, label)))
})

const userById = (state: FakeLinearState, id: string) => {
  const user = state.users.get(id)
  return user === undefined ? { id, name: "Unknown user", displayName: "unknown" } : userView(user, state.appUser.id)
}

export const commentView = (state: FakeLinearState, comment: FakeComment) => ({
  id: comment.id,
  body: comment.body,
  url: comment.url,
  createdAt: comment.createdAt,
  updatedAt: comment.createdAt,
  user: userById(state, comment.userId),
  parent: comment.parentId === null ? null : { id: comment.parentId },
  issue: { id: comment.issueId }
})

const issueSummary = (issue: FakeIssue) => ({
  id: issue.id,
  identifier: issue.identifier,
  title: issue.title,
  url: issue.url
})

export const issueView = (state: FakeLinearState, issue: FakeIssue) => {
  const parent = issue.parentId === null ? undefined : state.issues.get(issue.parentId)
  const children = [...state.issues.values()].filter((candidate) => candidate.parentId === issue.id)
  return {
    ...issue,
    team: Option.match(Option.fromNullishOr(state.teams.get(issue.teamId)), {
      onNone: () => null,
      onSome: (team) => teamView(state, team)
    }),
    assignee: issue.assignee === null ? null : userView(issue.assignee, state.appUser.id),
    labels: connection(issue.labels.map((name) => labelView(state, labelNamed(state, name, issue.teamId)))),
    parent: parent === undefined ? null : issueSummary(parent),
    children: connection(children.map(issueSummary)),
    comments: connection(
      state.comments.filter((comment) => comment.issueId === issue.id).map((comment) => commentView(state, comment))
    )
  }
}

export const activityView = (activity: FakeAgentActivity) => ({
  id: activity.id,
  agentSessionId: activity.agentSessionId,
  content: activity.content,
  ephemeral: activity.ephemeral,
  signal: activity.signal,
  user: { id: activity.userId },
  createdAt: activity.createdAt,
  updatedAt: activity.createdAt
})

export const sessionView = (state: FakeLinearState, session: FakeAgentSession) => {
  const issue = session.issueId === null ? undefined : state.issues.get(session.issueId)
  return {
    id: session.id,
    status: session.status,
    createdAt: session.createdAt,
    appUser: { id: session.appUserId },
    issue: issue === undefined ? null : issueSummary(issue),
    activities: connection(
      state.agentActivities.filter((activity) => activity.agentSessionId === session.id).map(activityView)
    )
  }
}
