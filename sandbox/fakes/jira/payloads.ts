/**
 * Builders for Jira Cloud webhook bodies, shaped like real admin-webhook deliveries (REST v2
 * shapes: rich text as wiki-markup strings, `self` URLs on the site, fields the provider does not
 * read included, so tests prove unknown fields are tolerated). `timestamp` is now unless given.
 *
 * - `issueAssigned` / `issueUnassigned`: `jira:issue_updated` with an `assignee` changelog item;
 * - `issueCreated`: `jira:issue_created` (assigned at creation when the fixture has an assignee);
 * - `issueEdited`: `jira:issue_updated` changing other fields;
 * - `commentCreated`: `comment_created`; `mention(accountId)` writes a mention as Jira does.
 */
import { textOf } from "./FakeJiraData.ts"
import { type FakeIssue, type FakeJiraState, STATUSES } from "./FakeJiraState.ts"

export interface PersonFixture {
  readonly accountId: string
  readonly displayName: string
}

export interface IssueFixture {
  readonly id: string
  readonly key: string
  readonly summary?: string | undefined
  readonly description?: string | undefined
  readonly projectKey?: string | undefined
  readonly projectId?: string | undefined
  readonly status?: string | undefined
  readonly assignee?: PersonFixture | null | undefined
  readonly labels?: ReadonlyArray<string> | undefined
}

export interface EventOptions {
  /** The site's URL, such as https://acme.atlassian.net (the fake's URL in tests). */
  readonly site: string
  readonly timestamp?: number | undefined
}

export const ADA_FIXTURE: PersonFixture = { accountId: "5b109f2e9729b51b54dc274d", displayName: "Ada Lovelace" }

export const mention = (accountId: string): string => `[~accountid:${accountId}]`

const user = (site: string, person: PersonFixture) => ({
  self: `${site}/rest/api/2/user?accountId=${person.accountId}`,
  accountId: person.accountId,
  avatarUrls: { "48x48": "https://secure.gravatar.com/avatar/0?d=mm&s=48" },
  displayName: person.displayName,
  active: true,
  timeZone: "Europe/London",
  accountType: "atlassian"
})

const issue = (site: string, fixture: IssueFixture) => {
  const projectKey = fixture.projectKey ?? fixture.key.replace(/-\d+$/, "")
  const projectId = fixture.projectId ?? "10000"
  return {
    id: fixture.id,
    self: `${site}/rest/api/2/${fixture.id}`,
    key: fixture.key,
    fields: {
      summary: fixture.summary ?? "Fix the flaky login test",
      description: fixture.description ?? "It fails one run in ten.",
      issuetype: { self: `${site}/rest/api/2/issuetype/10001`, id: "10001", name: "Task", subtask: false },
      project: { self: `${site}/rest/api/2/project/${projectId}`, id: projectId, key: projectKey, name: "Engineering", projectTypeKey: "software" },
      status: { self: `${site}/rest/api/2/status/10000`, name: fixture.status ?? "To Do", id: "10000", statusCategory: { id: 2, key: "new", name: "To Do" } },
      priority: { self: `${site}/rest/api/2/priority/3`, name: "Medium", id: "3" },
      assignee: fixture.assignee === undefined || fixture.assignee === null ? null : user(site, fixture.assignee),
      reporter: user(site, ADA_FIXTURE),
      labels: [...(fixture.labels ?? [])],
      created: "2026-11-29T11:00:00.000+0000",
      updated: "2026-11-29T12:00:00.000+0000",
      customfield_10020: null,
      watches: { watchCount: 1, isWatching: false }
    }
  }
}

const envelope = (webhookEvent: string, options: EventOptions) => ({
  timestamp: options.timestamp ?? Date.now(),
  webhookEvent
})

export interface AssignmentFixture extends EventOptions {
  readonly issue: IssueFixture
  readonly actor?: PersonFixture | undefined
  readonly to: PersonFixture | null
  readonly from?: PersonFixture | null | undefined
}

const assignment = (fixture: AssignmentFixture) => ({
  ...envelope("jira:issue_updated", fixture),
  issue_event_type_name: "issue_assigned",
  user: user(fixture.site, fixture.actor ?? ADA_FIXTURE),
  issue: issue(fixture.site, { ...fixture.issue, assignee: fixture.to }),
  changelog: {
    id: String(Math.floor(Math.random() * 1e6)),
    items: [{
      field: "assignee",
      fieldtype: "jira",
      fieldId: "assignee",
      from: fixture.from?.accountId ?? null,
      fromString: fixture.from?.displayName ?? null,
      to: fixture.to?.accountId ?? null,
      toString: fixture.to?.displayName ?? null,
      tmpFromAccountId: fixture.from?.accountId ?? null,
      tmpToAccountId: fixture.to?.accountId ?? null
    }]
  }
})

/** The issue assigned to `to` (it was unassigned, or `from`'s). */
export const issueAssigned = (fixture: AssignmentFixture) => assignment(fixture)

/** The issue taken from `from` (to nobody, unless `to` is given). */
export const issueUnassigned = (fixture: Omit<AssignmentFixture, "to"> & { readonly to?: PersonFixture | null }) =>
  assignment({ ...fixture, to: fixture.to ?? null })

export const issueCreated = (fixture: EventOptions & { readonly issue: IssueFixture; readonly actor?: PersonFixture | undefined }) => ({
  ...envelope("jira:issue_created", fixture),
  issue_event_type_name: "issue_created",
  user: user(fixture.site, fixture.actor ?? ADA_FIXTURE),
  issue: issue(fixture.site, fixture.issue),
  changelog: { id: String(Math.floor(Math.random() * 1e6)), items: [] }
})

export const issueEdited = (fixture: EventOptions & { readonly issue: IssueFixture; readonly actor?: PersonFixture | undefined }) => ({
  ...envelope("jira:issue_updated", fixture),
  issue_event_type_name: "issue_generic",
  user: user(fixture.site, fixture.actor ?? ADA_FIXTURE),
  issue: issue(fixture.site, fixture.issue),
  changelog: {
    id: String(Math.floor(Math.random() * 1e6)),
    items: [{ field: "summary", fieldtype: "jira", fieldId: "summary", from: null, fromString: "Old summary", to: null, toString: fixture.issue.summary ?? "" }]
  }
})

export const commentCreated = (fixture: EventOptions & {
  readonly issue: IssueFixture
  readonly body: string
  readonly author?: PersonFixture | undefined
  readonly commentId?: string | undefined
}) => {
  const author = user(fixture.site, fixture.author ?? ADA_FIXTURE)
  const id = fixture.commentId ?? String(Math.floor(10000 + Math.random() * 1e6))
  return {
    ...envelope("comment_created", fixture),
    comment: {
      self: `${fixture.site}/rest/api/2/issue/${fixture.issue.id}/comment/${id}`,
      id,
      author,
      body: fixture.body,
      updateAuthor: author,
      created: "2026-11-29T12:10:00.000+0000",
      updated: "2026-11-29T12:10:00.000+0000",
      jsdPublic: true
    },
    issue: issue(fixture.site, fixture.issue)
  }
}

/** A fixture of an issue that exists in the fake, so the agent's tools find what the event names. */
export const fixtureOf = (state: FakeJiraState, fake: FakeIssue): IssueFixture => {
  const assignee = fake.assigneeId === null ? undefined : state.users.get(fake.assigneeId)
  return {
    id: fake.id,
    key: fake.key,
    summary: fake.summary,
    description: textOf(fake.description),
    projectKey: state.projects.get(fake.projectId)?.key,
    projectId: fake.projectId,
    status: STATUSES.find((status) => status.id === fake.statusId)?.name,
    assignee: assignee === undefined ? null : { accountId: assignee.accountId, displayName: assignee.displayName },
    labels: fake.labels
  }
}
