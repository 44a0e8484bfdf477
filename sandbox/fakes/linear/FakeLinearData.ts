/**
 * Reading and changing the fake's workspace data: seeding and finding issues (by UUID or
 * identifier, as Linear's `issue(id:)` accepts both), comments, labels, people, workflow states
 * and agent sessions. Shared by the GraphQL resolvers and the test controls.
 */
import type {
  FakeAgentSession,
  FakeComment,
  FakeIssue,
  FakeLabel,
  FakeLinearState,
  FakeUser,
  FakeWorkflowState
} from "./FakeLinearState.ts"
import { DEFAULT_TEAM, iso } from "./FakeLinearState.ts"

export interface SeedIssue {
  readonly id?: string | undefined
  readonly title?: string | undefined
  readonly description?: string | null | undefined
  readonly teamId?: string | undefined
  readonly priority?: number | undefined
  readonly stateName?: string | undefined
  readonly stateType?: string | undefined
  readonly labels?: ReadonlyArray<string> | undefined
  readonly assignee?: FakeUser | null | undefined
  readonly dueDate?: string | null | undefined
  readonly parentId?: string | null | undefined
}

const priorityLabels = ["No priority", "Urgent", "High", "Medium", "Low"]
export const priorityLabel = (priority: number): string => priorityLabels[priority] ?? "No priority"

export const statesOf = (state: FakeLinearState, teamId: string): ReadonlyArray<FakeWorkflowState> =>
  [...state.workflowStates.values()].filter((entry) => entry.teamId === teamId).sort((a, b) => a.position - b.position)

const stateFor = (state: FakeLinearState, teamId: string, name: string | undefined, type: string | undefined) => {
  const states = statesOf(state, teamId)
  const found = name === undefined
    ? states.find((entry) => entry.type === (type ?? "unstarted"))
    : states.find((entry) => entry.name.toLowerCase() === name.toLowerCase())
  if (found !== undefined) return { id: found.id, name: found.name, type: found.type }
  // A seed may name a status the team does not have: add it, so the issue stays consistent.
  const added: FakeWorkflowState = {
    id: crypto.randomUUID(),
    teamId,
    name: name ?? "Todo",
    type: type ?? "unstarted",
    position: states.length
  }
  state.workflowStates.set(added.id, added)
  return { id: added.id, name: added.name, type: added.type }
}

/** Finds a label by name (case-insensitive) usable in the team, or creates a workspace label. */
export const labelNamed = (state: FakeLinearState, name: string, teamId: string | null = null): FakeLabel => {
  const wanted = name.toLowerCase()
  const existing = [...state.labels.values()].find((label) =>
    label.name.toLowerCase() === wanted && (label.teamId === null || label.teamId === teamId)
  )
  if (existing !== undefined) return existing
  const label: FakeLabel = { id: crypto.randomUUID(), name, color: "#5e6ad2", teamId: null }
  state.labels.set(label.id, label)
  return label
}

export const seedIssue = (state: FakeLinearState, seed: SeedIssue = {}): FakeIssue => {
  const team = state.teams.get(seed.teamId ?? DEFAULT_TEAM.id) ?? DEFAULT_TEAM
  state.issueCounter += 1
  const identifier = `${team.key}-${state.issueCounter}`
  const priority = seed.priority ?? 0
  const labels = (seed.labels ?? []).map((name) => labelNamed(state, name, team.id).name)
  if (seed.assignee !== undefined && seed.assignee !== null) state.users.set(seed.assignee.id, seed.assignee)
  const issue: FakeIssue = {
    id: seed.id ?? crypto.randomUUID(),
    identifier,
    title: seed.title ?? `Fake issue ${identifier}`,
    description: seed.description === undefined ? null : seed.description,
    url: `https://linear.app/${state.organization.urlKey}/issue/${identifier}`,
    priority,
    priorityLabel: priorityLabel(priority),
    teamId: team.id,
    state: stateFor(state, team.id, seed.stateName, seed.stateType),
    assignee: seed.assignee ?? null,
    labels,
    dueDate: seed.dueDate ?? null,
    parentId: seed.parentId ?? null,
    createdAt: iso(state),
    updatedAt: iso(state)
  }
  state.issues.set(issue.id, issue)
  return issue
}

/** Linear's `issue(id:)` takes the UUID or the identifier. */
export const findIssue = (state: FakeLinearState, idOrIdentifier: string): FakeIssue | undefined =>
  state.issues.get(idOrIdentifier) ??
    Array.from(state.issues.values()).find((issue) => issue.identifier.toLowerCase() === idOrIdentifier.toLowerCase())

export const replaceIssue = (state: FakeLinearState, issue: FakeIssue, changes: Partial<FakeIssue>): FakeIssue => {
  const next: FakeIssue = { ...issue, ...changes, updatedAt: iso(state) }
  state.issues.set(issue.id, next)
  return next
}

export const addComment = (
  state: FakeLinearState,
  issue: FakeIssue,
  body: string,
  options: { readonly userId?: string | undefined; readonly parentId?: string | null | undefined } = {}
): FakeComment => {
  const id = crypto.randomUUID()
  const comment: FakeComment = {
    id,
    issueId: issue.id,
    body,
    userId: options.userId ?? state.appUser.id,
    parentId: options.parentId ?? null,
    url: `${issue.url}#comment-${id.slice(0, 8)}`,
    createdAt: iso(state)
  }
  state.comments.push(comment)
  return comment
}

/** What Linear does when someone mentions or delegates to the app user: opens a session. */
export const startAgentSession = (
  state: FakeLinearState,
  options: { readonly id?: string | undefined; readonly issueId?: string | null | undefined } = {}
): FakeAgentSession => {
  const issue = options.issueId === undefined || options.issueId === null ? undefined : findIssue(state, options.issueId)
  const session: FakeAgentSession = {
    id: options.id ?? crypto.randomUUID(),
    issueId: issue?.id ?? options.issueId ?? null,
    appUserId: state.appUser.id,
    status: "pending",
    createdAt: iso(state)
  }
  state.agentSessions.set(session.id, session)
  return session
}

/** Linear derives a session's status from its last activity. */
export const statusAfter = (type: string, current: string): string => {
  switch (type) {
    case "thought":
    case "action":
      return "active"
    case "elicitation":
      return "awaitingInput"
    case "response":
      return "complete"
    case "error":
      return "error"
    default:
      return current
  }
}
