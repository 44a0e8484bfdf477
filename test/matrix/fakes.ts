/**
 * The world around the runtime under test, in the vitest process: the fake Linear (OAuth +
 * GraphQL) on loopback, wrapped to record which bearer token each GraphQL call carried, the fake
 * Slack (the deployment's Slack app: OAuth, Web API, Events API signing), the fake GitHub (app
 * manifests, install pages, the App and REST endpoints; one origin for web and API), the fake
 * Jira (OAuth 2.0 (3LO) and REST on one origin, consent approved at once: for the provider kit),
 * and the session receiver standing in for the agent platform.
 */
import { Effect, Redacted } from "effect"
import { signHmacSha256Hex } from "../../kernel/crypto/Hmac.ts"
import { makeFakeLinear } from "../../sandbox/fakes/linear/FakeLinear.ts"
import type { FakeLinearControl } from "../../sandbox/fakes/linear/FakeLinear.ts"
import { signLinearWebhook } from "../../sandbox/fakes/linear/sign.ts"
import { makeFakeGitHub } from "../../sandbox/fakes/github/FakeGitHub.ts"
import type { FakeGitHubControl } from "../../sandbox/fakes/github/FakeGitHub.ts"
import { type FakeJira, makeFakeJira } from "../../sandbox/fakes/jira/FakeJira.ts"
import { makeFakeSlack } from "../../sandbox/fakes/slack/FakeSlack.ts"
import type { FakeSlackControl } from "../../sandbox/fakes/slack/FakeSlack.ts"
import { serve } from "../support/serve.ts"
import type { Secrets } from "./harness.ts"
import { startSessionReceiver } from "./SessionReceiver.ts"
import type { SessionReceiver } from "./SessionReceiver.ts"

export interface GraphQLCall {
  readonly authorization: string | null
  readonly query: string
  readonly status: number
}

export interface WebhookOptions {
  readonly deliveryId?: string
  /** Sign with this secret instead (a bad signature). */
  readonly secret?: string
  /** `webhookTimestamp`, epoch ms (default now). */
  readonly timestamp?: number
}

export interface SignedWebhook {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

export interface LinearFake {
  readonly url: string
  readonly control: FakeLinearControl
  /** The fake's own handler (what is served, less the recording). */
  readonly handler: (request: Request) => Promise<Response>
  /** Every `POST /graphql` the runtime made, in order. */
  readonly graphqlCalls: ReadonlyArray<GraphQLCall>
  /** A Linear webhook delivery for `payload`, signed as Linear signs (unless told otherwise). */
  readonly webhook: (payload: Readonly<Record<string, unknown>>, options?: WebhookOptions) => Promise<SignedWebhook>
  /** Any body, correctly signed: for bodies that are not JSON at all. */
  readonly signedRaw: (body: string) => Promise<SignedWebhook>
  readonly close: () => Promise<void>
}

/** A fake served on loopback: its origin and its in-process controls. */
export interface ServedFake<Control> {
  readonly url: string
  readonly control: Control
  readonly handler: (request: Request) => Promise<Response>
  readonly close: () => Promise<void>
}

export interface Fakes {
  readonly linear: LinearFake
  /** Point SLACK_API_URL at `<url>/api` and SLACK_OAUTH_URL at `<url>`. */
  readonly slack: ServedFake<FakeSlackControl>
  /** Point GITHUB_API_URL and GITHUB_WEB_URL at `<url>`. */
  readonly github: ServedFake<FakeGitHubControl>
  /** Point the JIRA_* env at `<url>` (see `jiraEnv` in test/support/kit/providers/jira.ts). */
  readonly jira: ServedFake<FakeJira["control"]>
  readonly sessions: SessionReceiver
  readonly close: () => Promise<void>
}

const startLinear = async (secrets: Secrets): Promise<LinearFake> => {
  const fake = makeFakeLinear({ clientId: secrets.linearClientId, clientSecret: secrets.linearClientSecret })
  const graphqlCalls: Array<GraphQLCall> = []
  const served = await serve(async (request) => {
    if (new URL(request.url).pathname !== "/graphql") return fake.handler(request)
    const authorization = request.headers.get("authorization")
    const query = await request.clone().text()
    const response = await fake.handler(request)
    graphqlCalls.push({ authorization, query, status: response.status })
    return response
  })
  return {
    url: served.url,
    control: fake.control,
    handler: fake.handler,
    graphqlCalls,
    webhook: (payload, options = {}) =>
      Effect.runPromise(signLinearWebhook({
        secret: options.secret ?? secrets.linearWebhookSecret,
        payload,
        timestamp: options.timestamp,
        deliveryId: options.deliveryId
      })),
    signedRaw: async (body) => {
      const signature = await Effect.runPromise(signHmacSha256Hex(Redacted.make(secrets.linearWebhookSecret), body))
      return {
        body,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "linear-delivery": crypto.randomUUID(),
          "linear-event": "AgentSessionEvent",
          "linear-signature": signature
        }
      }
    },
    close: served.close
  }
}

const startSlack = async (secrets: Secrets): Promise<ServedFake<FakeSlackControl>> => {
  // The consent is approved at once: the matrix proves the runtime's side of OAuth, not the page.
  const fake = makeFakeSlack({
    clientId: secrets.slackClientId,
    clientSecret: secrets.slackClientSecret,
    signingSecret: secrets.slackSigningSecret,
    autoApprove: true
  })
  const served = await serve(fake.handler)
  return { url: served.url, control: fake.control, handler: fake.handler, close: served.close }
}

const startGitHub = async (): Promise<ServedFake<FakeGitHubControl>> => {
  const fake = makeFakeGitHub()
  const served = await serve(fake.handler)
  return { url: served.url, control: fake.control, handler: fake.handler, close: served.close }
}

const startJira = async (): Promise<ServedFake<FakeJira["control"]>> => {
  const fake = makeFakeJira({ autoApprove: true })
  const served = await serve(fake.handler)
  return { url: served.url, control: fake.control, handler: fake.handler, close: served.close }
}

export const startFakes = async (secrets: Secrets): Promise<Fakes> => {
  const [linear, slack, github, jira, sessions] = await Promise.all([
    startLinear(secrets),
    startSlack(secrets),
    startGitHub(),
    startJira(),
    startSessionReceiver({ secret: secrets.signingKey })
  ])
  return {
    linear,
    slack,
    github,
    jira,
    sessions,
    close: async () => {
      await Promise.all([linear.close(), slack.close(), github.close(), jira.close(), sessions.close()])
    }
  }
}
