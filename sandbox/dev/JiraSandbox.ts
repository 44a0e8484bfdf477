/**
 * Jira in the sandbox (`npm run dev`, the Console's "Simulate", `switchboard simulate jira`), ready
 * for the sandbox table (`sandbox/dev/SandboxAdapters.ts`): the fake Jira (3LO
 * consent page, accessible-resources, REST v3; credential paste against it works too, with its
 * URL as the site), admin-webhook events signed with JIRA_WEBHOOK_SECRET, the comments on an
 * issue as the agent's visible work, and the demo agent's plan: `get_issue` on the dispatch's
 * issue, then `add_comment` on it.
 *
 * With the fake running, each simulated event first creates a fresh issue in it, so the agent's
 * tools find what the event names; without it, fixed sample ids.
 */
import { Schema } from "effect"
import type { SessionDispatch } from "../../kernel/domain/SessionDispatch.ts"
import { type DemoPlan, fakeJson, randomSecret, requireSecret, type SandboxAdapter, type SandboxEvent } from "./Sandbox.ts"
import { restoreInto, snapshotOf } from "./Snapshot.ts"
import { makeFakeJira } from "../fakes/jira/FakeJira.ts"
import { ADA, AGENT } from "../fakes/jira/FakeJiraState.ts"
import { commentCreated, type IssueFixture, issueAssigned, mention, type PersonFixture } from "../fakes/jira/payloads.ts"
import { signJiraWebhook } from "../fakes/jira/sign.ts"

/** Logs, forced failures and settings decided by this run's options are not kept. */
const NOT_PERSISTED = ["clientId", "clientSecret", "cloudId", "siteName", "siteUrl", "redirectUris", "autoApprove", "calls", "tokenRequests", "faults"]

const SAMPLES = [
  { summary: "Checkout times out for EU customers", description: "Since Monday, about 3% of EU checkouts hit a 504 after 30 s." },
  { summary: "Fix the flaky login test", description: "login.spec fails one run in ten on CI." },
  { summary: "Export to CSV drops the last row", description: "Reports exported from the dashboard are missing their final line." }
]

const Person = Schema.Struct({ accountId: Schema.String, displayName: Schema.String })
const FakeState = Schema.Struct({ site: Schema.Struct({ url: Schema.String }), agent: Person, human: Person, issues: Schema.Number })
const FakeIssue = Schema.Struct({ id: Schema.String, key: Schema.String, summary: Schema.String })
const FakeComments = Schema.Array(Schema.Struct({ authorId: Schema.String, created: Schema.String, text: Schema.String }))

interface World {
  readonly site: string
  readonly agent: PersonFixture
  readonly human: PersonFixture
  readonly issue: IssueFixture
  /** The issue exists in the fake: the agent's tools will find it. */
  readonly live: boolean
}

const prepare = async (fakeUrl: string | undefined): Promise<World> => {
  if (fakeUrl === undefined) {
    const sample = SAMPLES[0]!
    return { site: "https://sandbox.atlassian.net", agent: AGENT, human: ADA, issue: { id: "10001", key: "ENG-1", ...sample }, live: false }
  }
  const state = Schema.decodeUnknownSync(FakeState)(await fakeJson(`${fakeUrl}/_fake/state`))
  const sample = SAMPLES[state.issues % SAMPLES.length]!
  const created = Schema.decodeUnknownSync(FakeIssue)(await fakeJson(`${fakeUrl}/_fake/issues`, { method: "POST", body: JSON.stringify(sample) }))
  return { site: state.site.url, agent: state.agent, human: state.human, issue: { ...created, description: sample.description }, live: true }
}

const event = (
  name: string,
  description: string,
  payload: (world: World) => Readonly<Record<string, unknown>>,
  summary: string
): SandboxEvent => ({
  name,
  description,
  build: async ({ env, fakeUrl }) => {
    const secret = requireSecret(env, "JIRA_WEBHOOK_SECRET")
    const world = await prepare(fakeUrl)
    const signed = await signJiraWebhook({ secret, payload: payload(world) })
    return {
      path: "/webhook/jira",
      headers: signed.headers,
      body: signed.body,
      deliveryId: signed.deliveryId,
      summary: `${summary} on ${world.issue.key} (${world.issue.summary ?? ""})`,
      subject: world.live ? { id: world.issue.key, label: world.issue.key } : null
    }
  }
})

const events: ReadonlyArray<SandboxEvent> = [
  event(
    "assigned",
    "Someone assigns a new issue to the agent's Jira account (jira:issue_updated)",
    (world) => issueAssigned({ site: world.site, issue: world.issue, to: world.agent, actor: world.human }),
    "Issue assigned to the agent"
  ),
  event(
    "mention",
    "Someone mentions the agent in a comment (comment_created)",
    (world) => commentCreated({ site: world.site, issue: world.issue, author: world.human, body: `${mention(world.agent.accountId)} could you have a look at this?` }),
    "Comment mentioning the agent"
  )
]

const issueOf = (dispatch: SessionDispatch): string | undefined => {
  const key = dispatch.context["issueKey"]
  return typeof key === "string" && key.length > 0 ? key : undefined
}

const IssueRead = Schema.Struct({ key: Schema.String, summary: Schema.NullOr(Schema.String), status: Schema.NullOr(Schema.String) })

export const jiraDemo: DemoPlan = {
  read: (dispatch) => {
    const issue = issueOf(dispatch)
    return issue === undefined ? undefined : { tool: "mcp_jira_get_issue", arguments: { issue } }
  },
  write: (dispatch, read) => {
    const issue = issueOf(dispatch)
    if (issue === undefined) return undefined
    const seen = Schema.decodeUnknownOption(IssueRead)(read)
    const name = seen._tag === "Some" ? `${seen.value.key} "${seen.value.summary ?? ""}" (${seen.value.status ?? "no status"})` : issue
    return {
      tool: "mcp_jira_add_comment",
      arguments: {
        issue,
        body: `Hi! I am ${dispatch.agentId}, the Switchboard demo agent. I read ${name} through the get_issue tool and I am on it. ` +
          `(session ${dispatch.sessionId}, ${dispatch.mode})`
      }
    }
  }
}

export const jiraSandbox: SandboxAdapter = {
  providerId: "jira",
  displayName: "Jira",
  generateSecrets: () => ({ JIRA_CLIENT_ID: "sandbox-jira-client", JIRA_CLIENT_SECRET: randomSecret(), JIRA_WEBHOOK_SECRET: randomSecret() }),
  // The fake is both Atlassian's auth server and API gateway, and the site for credential paste:
  // its port only (the allowlist matches ports), by either loopback name.
  env: (fakeUrl) => ({ JIRA_AUTH_URL: fakeUrl, JIRA_API_URL: fakeUrl, JIRA_SITE_HOSTS: `${new URL(fakeUrl).host},localhost:${new URL(fakeUrl).port},*.atlassian.net` }),
  webhookSecretEnv: "JIRA_WEBHOOK_SECRET",
  makeFake: ({ env, publicUrl }) => {
    const fake = makeFakeJira({
      clientId: env["JIRA_CLIENT_ID"],
      clientSecret: env["JIRA_CLIENT_SECRET"],
      redirectUris: [`${publicUrl}/install/jira/callback`]
    })
    return {
      handler: fake.handler,
      snapshot: () => snapshotOf(fake.control.state, NOT_PERSISTED),
      restore: (snapshot) => restoreInto(fake.control.state, snapshot, NOT_PERSISTED)
    }
  },
  events,
  activity: async (fakeUrl, issueKey) => {
    const state = Schema.decodeUnknownSync(FakeState)(await fakeJson(`${fakeUrl}/_fake/state`))
    const comments = Schema.decodeUnknownSync(FakeComments)(await fakeJson(`${fakeUrl}/_fake/comments?issue=${encodeURIComponent(issueKey)}`))
    return comments.map((comment) => ({
      author: comment.authorId === state.agent.accountId ? state.agent.displayName : comment.authorId === state.human.accountId ? state.human.displayName : "Someone",
      body: comment.text,
      at: comment.created,
      byAgent: comment.authorId === state.agent.accountId
    }))
  },
  demo: jiraDemo
}
