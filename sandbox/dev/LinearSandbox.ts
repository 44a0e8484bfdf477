/**
 * Linear in the sandbox: the fake Linear (OAuth consent page, GraphQL API), webhook events
 * signed with LINEAR_WEBHOOK_SECRET, the comments on an issue as the agent's visible work, and
 * the demo agent's plan: `get_issue` on the dispatch's issue, then `create_comment` on it.
 *
 * With the fake running, each simulated event first creates a fresh issue in it (and, for an
 * agent session, opens the session as Linear does on a mention), so the agent's tools find what
 * the event names.
 */
import { Effect, Schema } from "effect"
import type { SessionDispatch } from "../../kernel/domain/SessionDispatch.ts"
import { makeFakeLinear } from "../fakes/linear/FakeLinear.ts"
import { agentSessionCreated, commentEvent, issueAssigned } from "../fakes/linear/payloads.ts"
import { signLinearWebhook } from "../fakes/linear/sign.ts"
import {
  type DemoPlan,
  fakeJson,
  randomSecret,
  requireSecret,
  type SandboxAdapter,
  type SandboxEvent,
  type SimulatedWebhook
} from "./Sandbox.ts"
import { restoreInto, snapshotOf } from "./Snapshot.ts"

/** Logs and settings: not worth keeping, or decided by this run's options. */
const NOT_PERSISTED = ["clientId", "clientSecret", "redirectUris", "organization", "appUser", "graphqlCalls", "tokenRequests", "rateLimit"]

/** The sample issues simulated events open, in turn. */
const SAMPLE_ISSUES = [
  { title: "Checkout times out for EU customers", description: "Since Monday, about 3% of EU checkouts hit a 504 after 30 s." },
  { title: "Fix the flaky login test", description: "login.spec fails one run in ten on CI." },
  { title: "Export to CSV drops the last row", description: "Reports exported from the dashboard are missing their final line." }
]

const FakeState = Schema.Struct({
  issues: Schema.Number,
  organization: Schema.Struct({ id: Schema.String }),
  appUser: Schema.Struct({ id: Schema.String, name: Schema.String, displayName: Schema.optional(Schema.NullOr(Schema.String)) })
})
const FakeIssue = Schema.Struct({
  id: Schema.String,
  identifier: Schema.String,
  title: Schema.String,
  description: Schema.NullOr(Schema.String),
  teamId: Schema.String
})
const FakeSession = Schema.Struct({ id: Schema.String })
const FakeComments = Schema.Array(Schema.Struct({
  body: Schema.String,
  userId: Schema.String,
  createdAt: Schema.String
}))

interface World {
  readonly organizationId: string | undefined
  readonly appUserId: string | undefined
  readonly appHandle: string
  readonly issue: typeof FakeIssue.Type | undefined
}

/** The fake's organization and app user, and a fresh issue in it; nothing without a fake. */
const prepare = async (fakeUrl: string | undefined): Promise<World> => {
  if (fakeUrl === undefined) return { organizationId: undefined, appUserId: undefined, appHandle: "switchboard", issue: undefined }
  const state = Schema.decodeUnknownSync(FakeState)(await fakeJson(`${fakeUrl}/_fake/state`))
  const sample = SAMPLE_ISSUES[state.issues % SAMPLE_ISSUES.length]!
  const issue = Schema.decodeUnknownSync(FakeIssue)(
    await fakeJson(`${fakeUrl}/_fake/issues`, { method: "POST", body: JSON.stringify(sample) })
  )
  return {
    organizationId: state.organization.id,
    appUserId: state.appUser.id,
    appHandle: state.appUser.displayName ?? "switchboard",
    issue
  }
}

const issueFixture = (world: World) =>
  world.issue === undefined ? undefined : {
    id: world.issue.id,
    identifier: world.issue.identifier,
    title: world.issue.title,
    description: world.issue.description ?? "",
    teamId: world.issue.teamId
  }

const signed = async (
  secret: string,
  payload: Readonly<Record<string, unknown>>,
  summary: string,
  world: World
): Promise<SimulatedWebhook> => {
  const webhook = await Effect.runPromise(signLinearWebhook({ secret, payload }))
  const issue = issueFixture(world)
  return {
    path: "/webhook/linear",
    headers: webhook.headers,
    body: webhook.body,
    deliveryId: webhook.deliveryId,
    summary: issue === undefined ? summary : `${summary} on ${issue.identifier} (${issue.title})`,
    subject: issue === undefined ? null : { id: issue.id, label: issue.identifier }
  }
}

const events: ReadonlyArray<SandboxEvent> = [
  {
    name: "agent-session",
    description: "Someone mentions the agent on a new issue: Linear opens an agent session (AgentSessionEvent created)",
    build: async ({ env, fakeUrl }) => {
      const secret = requireSecret(env, "LINEAR_WEBHOOK_SECRET")
      const world = await prepare(fakeUrl)
      const session = world.issue === undefined || fakeUrl === undefined ? undefined : Schema.decodeUnknownSync(FakeSession)(
        await fakeJson(`${fakeUrl}/_fake/agent-sessions`, { method: "POST", body: JSON.stringify({ issueId: world.issue.id }) })
      )
      const payload = agentSessionCreated({
        organizationId: world.organizationId,
        appUserId: world.appUserId,
        sessionId: session?.id ?? crypto.randomUUID(),
        issue: issueFixture(world),
        promptContext: world.issue === undefined
          ? undefined
          : `<issue identifier="${world.issue.identifier}"><title>${world.issue.title}</title></issue>`,
        commentBody: `@${world.appHandle} can you take this one?`
      })
      return signed(secret, payload, "AgentSessionEvent.created", world)
    }
  },
  {
    name: "assigned",
    description: "Someone assigns an issue to the agent (Issue update)",
    build: async ({ env, fakeUrl }) => {
      const secret = requireSecret(env, "LINEAR_WEBHOOK_SECRET")
      const world = await prepare(fakeUrl)
      const payload = issueAssigned({ organizationId: world.organizationId, issue: issueFixture(world), assigneeId: world.appUserId })
      return signed(secret, payload, "Issue assigned to the agent", world)
    }
  },
  {
    name: "mention",
    description: "Someone mentions the agent in a comment (Comment create)",
    build: async ({ env, fakeUrl }) => {
      const secret = requireSecret(env, "LINEAR_WEBHOOK_SECRET")
      const world = await prepare(fakeUrl)
      const payload = commentEvent({
        organizationId: world.organizationId,
        id: crypto.randomUUID(),
        issue: issueFixture(world),
        body: `@${world.appHandle} could you have a look at this?`
      })
      return signed(secret, payload, "Comment mentioning the agent", world)
    }
  }
]

const issueIdOf = (dispatch: SessionDispatch): string | undefined => {
  const issueId = dispatch.context["issueId"]
  return typeof issueId === "string" && issueId.length > 0 ? issueId : undefined
}

const IssueRead = Schema.Struct({
  identifier: Schema.optional(Schema.String),
  title: Schema.optional(Schema.String),
  state: Schema.optional(Schema.NullOr(Schema.Struct({ name: Schema.String })))
})

const demo: DemoPlan = {
  read: (dispatch) => {
    const issueId = issueIdOf(dispatch)
    return issueId === undefined ? undefined : { tool: "mcp_linear_get_issue", arguments: { issueId } }
  },
  write: (dispatch, read) => {
    const issueId = issueIdOf(dispatch)
    if (issueId === undefined) return undefined
    const issue = Schema.decodeUnknownOption(IssueRead)(read)
    const name = issue._tag === "Some" ? `${issue.value.identifier ?? issueId} "${issue.value.title ?? ""}"` : issueId
    const state = issue._tag === "Some" && issue.value.state ? ` (${issue.value.state.name})` : ""
    return {
      tool: "mcp_linear_create_comment",
      arguments: {
        issueId,
        body: `Hi! I am ${dispatch.agentId}, the Switchboard demo agent. I read ${name}${state} ` +
          `through the get_issue tool and I am on it. (session ${dispatch.sessionId}, ${dispatch.mode})`
      }
    }
  }
}

export const linearSandbox: SandboxAdapter = {
  providerId: "linear",
  displayName: "Linear",
  generateSecrets: () => ({
    LINEAR_CLIENT_ID: "sandbox-linear-client",
    LINEAR_CLIENT_SECRET: randomSecret(),
    LINEAR_WEBHOOK_SECRET: randomSecret()
  }),
  env: (fakeUrl) => ({ LINEAR_API_URL: fakeUrl, LINEAR_OAUTH_URL: fakeUrl }),
  webhookSecretEnv: "LINEAR_WEBHOOK_SECRET",
  makeFake: ({ env, publicUrl }) => {
    const fake = makeFakeLinear({
      clientId: env["LINEAR_CLIENT_ID"],
      clientSecret: env["LINEAR_CLIENT_SECRET"],
      redirectUris: [`${publicUrl}/install/linear/callback`]
    })
    return {
      handler: fake.handler,
      snapshot: () => snapshotOf(fake.control.state, NOT_PERSISTED),
      restore: (snapshot) => restoreInto(fake.control.state, snapshot, NOT_PERSISTED)
    }
  },
  events,
  activity: async (fakeUrl, issueId) => {
    const state = Schema.decodeUnknownSync(FakeState)(await fakeJson(`${fakeUrl}/_fake/state`))
    const comments = Schema.decodeUnknownSync(FakeComments)(
      await fakeJson(`${fakeUrl}/_fake/comments?issueId=${encodeURIComponent(issueId)}`)
    )
    return comments.map((comment) => ({
      author: comment.userId === state.appUser.id ? state.appUser.name : "Ada Lovelace",
      body: comment.body,
      at: comment.createdAt,
      byAgent: comment.userId === state.appUser.id
    }))
  },
  demo
}
