/**
 * The Jira provider's provider-kit options, shared by test/providers/jira/kit.test.ts (which
 * runs both) and the runtime matrix (test/matrix/kit.ts, OAuth only): one per install type: OAuth 2.0 (3LO)
 * through the fake's consent page, and credential paste (the fake's site URL, the agent
 * account's e-mail and API token, checked with `/myself`). An issue assigned to the agent's
 * account is the event that dispatches; a rate-limited API is the vendor error.
 */
import * as JiraProvider from "../../../../providers/jira/JiraProvider.ts"
import { type FakeJira, makeFakeJira } from "../../../../sandbox/fakes/jira/FakeJira.ts"
import { fixtureOf, issueAssigned } from "../../../../sandbox/fakes/jira/payloads.ts"
import { signJiraWebhook } from "../../../../sandbox/fakes/jira/sign.ts"
import { installByOAuth, installByPaste } from "../../../../sandbox/kit/KitInstall.ts"
import type { KitWorld, ProviderKitOptions } from "../../../../sandbox/kit/KitTypes.ts"

const WEBHOOK_SECRET = "jira-kit-webhook-secret"

/** The env that points the Jira provider at the fake served at `url`. */
export const jiraEnv = (url: string, fake: FakeJira): Record<string, string> => ({
  JIRA_CLIENT_ID: fake.control.clientId,
  JIRA_CLIENT_SECRET: fake.control.clientSecret,
  JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET,
  JIRA_AUTH_URL: url,
  JIRA_API_URL: url,
  JIRA_SITE_HOSTS: new URL(url).host
})

const base = (install: (world: KitWorld<FakeJira>) => Promise<void>): ProviderKitOptions<FakeJira> => ({
  provider: JiraProvider.make,
  fake: {
    make: () => makeFakeJira({ autoApprove: true }),
    env: (url, fake) => jiraEnv(url, fake)
  },
  install,
  publication: { granularity: "issue" },
  webhook: {
    secret: WEBHOOK_SECRET,
    signatureHeader: "x-hub-signature",
    sign: ({ body, deliveryId, secret }) => signJiraWebhook({ secret, payload: body, deliveryId }),
    dispatching: (world) => {
      const { control } = world.fake
      const issue = control.seedIssue({ summary: "Kit issue" })
      return JSON.stringify(issueAssigned({ site: world.fakeUrl, issue: fixtureOf(control.state, issue), to: control.agent }))
    },
    // Known events without their parts are accepted and ignored with a reason (events.route.test.ts);
    // a body without the signed timestamp has nothing to check a replay by.
    malformed: [JSON.stringify({ webhookEvent: "jira:issue_updated" })]
  },
  tools: {
    samples: {
      get_issue: { valid: [{ issue: "ENG-1" }, { issue: "10001" }], invalid: [{}, { issue: "" }, { issue: "ENG 1" }, { issue: 7 }] },
      search_issues: {
        valid: [{ jql: "project = ENG" }, { jql: "assignee = currentUser()", maxResults: 5, nextPageToken: "abc" }],
        invalid: [{}, { jql: "" }, { jql: "project = ENG", maxResults: 0 }, { jql: "project = ENG", maxResults: 51 }]
      },
      create_issue: {
        valid: [
          { project: "ENG", summary: "New" },
          { project: "ENG", summary: "New", description: "Why", issueType: "Bug", priority: "High", labels: ["a"], assignee: "me", dueDate: "2026-12-24" }
        ],
        invalid: [{ project: "ENG" }, { summary: "New" }, { project: "ENG", summary: "New", dueDate: "soon" }, { project: "ENG", summary: "New", labels: ["two words"] }]
      },
      add_comment: { valid: [{ issue: "ENG-1", body: "On it" }], invalid: [{ issue: "ENG-1" }, { issue: "ENG-1", body: "" }] },
      update_issue: {
        valid: [{ issue: "ENG-1", summary: "Renamed" }, { issue: "ENG-1", dueDate: null }, { issue: "ENG-1", labels: [] }],
        invalid: [{ summary: "Renamed" }, { issue: "ENG-1", dueDate: "24/12/2026" }, { issue: "ENG-1", summary: "" }]
      },
      assign_issue: { valid: [{ issue: "ENG-1", assignee: "me" }, { issue: "ENG-1", assignee: "none" }], invalid: [{ issue: "ENG-1" }, { assignee: "me" }] },
      list_transitions: { valid: [{ issue: "ENG-1" }], invalid: [{ issue: "-1" }] },
      update_issue_status: { valid: [{ issue: "ENG-1", status: "Done" }], invalid: [{ issue: "ENG-1" }, { issue: "ENG-1", status: "" }] },
      add_label: { valid: [{ issue: "ENG-1", label: "needs-review" }], invalid: [{ issue: "ENG-1", label: "needs review" }, { issue: "ENG-1" }] }
    },
    probeContext: { metadata: { authType: "oauth", cloudId: "kit-cloud", accountId: "5b10ac8d82e05b22cc7d4ef5" } },
    vendorError: {
      tool: "get_issue",
      input: (world) => ({ issue: world.fake.control.seedIssue().key }),
      arrange: (world) => world.fake.control.setRateLimited({ retryAfterSeconds: 20 }),
      restore: (world) => world.fake.control.setRateLimited(false),
      reasons: ["RateLimited"]
    }
  }
})

export const jiraKitOAuth: ProviderKitOptions<FakeJira> = { ...base((world) => installByOAuth(world, "jira")), name: "Jira, OAuth 2.0 (3LO)" }

export const jiraKitPaste: ProviderKitOptions<FakeJira> = {
  ...base((world) =>
    installByPaste(world, "jira", { siteUrl: world.fakeUrl, email: world.fake.control.agent.emailAddress, apiToken: world.fake.control.apiToken })
  ),
  name: "Jira, credential paste"
}
