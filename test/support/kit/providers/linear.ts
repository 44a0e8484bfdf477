/**
 * The Linear provider's provider-kit options, shared by test/providers/linear/kit.test.ts
 * (in-process) and the runtime matrix (test/matrix/kit.ts): installed through the fake's OAuth consent, an
 * issue assigned to the app user as the event that dispatches, and a rate-limited fake as the
 * vendor error.
 *
 * `create_issue`'s `dueDate` is not sampled with a malformed date: Linear's DueDate pattern has
 * no `u` flag, so Effect leaves it out of the JSON Schema (the kit reports that mismatch).
 */
import * as LinearProvider from "../../../../providers/linear/LinearProvider.ts"
import { installByOAuth } from "../../../../sandbox/kit/KitInstall.ts"
import { hmacSha256Hex } from "../../../../sandbox/kit/Signing.ts"
import { type FakeLinear, makeFakeLinear } from "../../../../sandbox/fakes/linear/FakeLinear.ts"
import type { ProviderKitOptions } from "../../../../sandbox/kit/KitTypes.ts"
import { issueAssigned } from "../../../../sandbox/fakes/linear/payloads.ts"

const WEBHOOK_SECRET = "whsec-linear-kit"

export const linearKit: ProviderKitOptions<FakeLinear> = {
  provider: LinearProvider.make,
  fake: {
    make: () => makeFakeLinear({ autoApprove: true }),
    env: (url, fake) => ({
      LINEAR_CLIENT_ID: fake.control.clientId,
      LINEAR_CLIENT_SECRET: fake.control.clientSecret,
      LINEAR_WEBHOOK_SECRET: WEBHOOK_SECRET,
      LINEAR_API_URL: url,
      LINEAR_OAUTH_URL: url
    })
  },
  install: (world) => installByOAuth(world, "linear"),
  publication: { granularity: "issue" },
  webhook: {
    secret: WEBHOOK_SECRET,
    signatureHeader: "linear-signature",
    sign: async ({ body, deliveryId, secret }) => ({
      body,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "linear-delivery": deliveryId,
        "linear-event": "Issue",
        "linear-signature": await hmacSha256Hex(secret, body)
      }
    }),
    dispatching: (world) => {
      const { control } = world.fake
      const issue = control.seedIssue({ title: "Kit issue" })
      return JSON.stringify({
        ...issueAssigned({
          organizationId: control.organization.id,
          assigneeId: control.appUser.id,
          issue: { id: issue.id, identifier: issue.identifier, title: issue.title, teamId: issue.teamId }
        }),
        webhookTimestamp: Date.now()
      })
    },
    // Nothing to route by (no event type). A known event that does not match its Schema is
    // accepted and ignored instead: test/providers/linear/events.route.test.ts.
    malformed: [JSON.stringify({ action: "update", webhookTimestamp: Date.now() })]
  },
  tools: {
    samples: {
      get_issue: { valid: [{ issueId: "ENG-1" }], invalid: [{}, { issueId: "" }, { issueId: 5 }] },
      create_comment: {
        valid: [{ issueId: "ENG-1", body: "On it" }, { issueId: "ENG-1", body: "On it", parentCommentId: "c-1" }],
        invalid: [{ issueId: "ENG-1" }, { issueId: "ENG-1", body: "" }]
      },
      search_issues: { valid: [{}, { team: "ENG", first: 10 }], invalid: [{ first: 0 }, { first: 51 }, { first: 1.5 }, { team: "" }] },
      create_issue: {
        valid: [{ team: "ENG", title: "New" }, { team: "ENG", title: "New", priority: 2, dueDate: "2026-12-24" }],
        invalid: [{ team: "ENG" }, { team: "ENG", title: "New", priority: 5 }]
      },
      update_issue: { valid: [{ issueId: "ENG-1", title: "Renamed" }], invalid: [{ title: "Renamed" }, { issueId: "ENG-1", priority: -1 }] },
      move_issue: { valid: [{ issueId: "ENG-1", state: "Done" }], invalid: [{ issueId: "ENG-1" }] },
      create_sub_issue: { valid: [{ parentIssueId: "ENG-1", title: "Part" }], invalid: [{ title: "Part" }] },
      list_comments: { valid: [{ issueId: "ENG-1" }, { issueId: "ENG-1", first: 5 }], invalid: [{ issueId: "ENG-1", first: 0 }] },
      add_label: { valid: [{ issueId: "ENG-1", label: "bug" }], invalid: [{ issueId: "ENG-1" }, { issueId: "ENG-1", label: "" }] },
      remove_label: { valid: [{ issueId: "ENG-1", label: "bug" }], invalid: [{ issueId: "ENG-1" }] },
      list_teams: { valid: [{}, { team: "ENG" }], invalid: [{ team: 3 }] },
      create_agent_activity: {
        valid: [{ agentSessionId: "session-1", type: "thought", body: "Looking" }],
        invalid: [{ agentSessionId: "session-1", type: "dance" }, { type: "thought" }]
      }
    },
    vendorError: {
      tool: "get_issue",
      input: () => ({ issueId: "ENG-1" }),
      arrange: (world) => world.fake.control.setRateLimited({ retryAfterSeconds: 30 }),
      restore: (world) => world.fake.control.setRateLimited(false),
      reasons: ["RateLimited"]
    }
  }
}
