/**
 * Shared fixtures for the Jira unit tests: settings, an installation and publication, raw
 * webhooks from signed deliveries, decoding a payload into its decision, and the fake Jira served
 * for the test's scope.
 */
import { Effect, Option, Redacted, type Scope } from "effect"
import { InstallationId, ProviderId, PublicationId, TenantId } from "../../../kernel/domain/Ids.ts"
import type { Installation } from "../../../kernel/domain/Installation.ts"
import type { Publication } from "../../../kernel/domain/Publication.ts"
import type { DispatchDecision, RawWebhook } from "../../../kernel/provider/Webhook.ts"
import { receiverOf } from "../../../kernel/webhooks/Receiver.ts"
import type { JiraSettings } from "../../../providers/jira/JiraSettings.ts"
import * as JiraWebhook from "../../../providers/jira/webhook/JiraWebhook.ts"
import { type FakeJira, makeFakeJira } from "../../../sandbox/fakes/jira/FakeJira.ts"
import { AGENT } from "../../../sandbox/fakes/jira/FakeJiraState.ts"
import { signJiraWebhook } from "../../../sandbox/fakes/jira/sign.ts"
import { serve } from "../../support/serve.ts"

export const SECRET = "jira-unit-secret"
export const OLD_SECRET = "jira-unit-secret-old"
export const SITE = "https://acme.atlassian.net"

export const settings = (overrides: Partial<JiraSettings> = {}): JiraSettings => ({
  oauth: Option.some({ clientId: "fake-jira-client-id", clientSecret: Redacted.make("fake-jira-client-secret") }),
  webhookSecrets: [Redacted.make(SECRET), Redacted.make(OLD_SECRET)],
  authUrl: "https://auth.atlassian.com",
  apiUrl: "https://api.atlassian.com",
  siteHosts: ["*.atlassian.net"],
  ...overrides
})

export const installation = (metadata: Record<string, string> = { authType: "oauth", cloudId: "cloud-1", siteUrl: SITE, accountId: AGENT.accountId, accountName: AGENT.displayName }): Installation => ({
  id: InstallationId.make("ins_jira_1"),
  tenantId: TenantId.make("ten_1"),
  providerId: ProviderId.make("jira"),
  externalAccountId: "acme.atlassian.net",
  registrationId: null,
  displayName: "Acme",
  status: "active",
  grantedScopes: [],
  metadata,
  createdAt: 0,
  updatedAt: 0
})

export const publication = (overrides: Partial<Publication> = {}): Publication => ({
  id: PublicationId.make("pub_1"),
  tenantId: TenantId.make("ten_1"),
  installationId: InstallationId.make("ins_jira_1"),
  agentId: "agent-1",
  scopes: ["issues:read"],
  granularity: "issue",
  filters: {},
  status: "active",
  createdAt: 0,
  updatedAt: 0,
  ...overrides
})

export const raw = async (
  payload: Readonly<Record<string, unknown>> | string,
  options: { readonly secret?: string; readonly deliveryId?: string; readonly receivedAt?: number } = {}
): Promise<RawWebhook> => {
  const signed = await signJiraWebhook({ secret: options.secret ?? SECRET, payload, deliveryId: options.deliveryId ?? "delivery-1" })
  return { headers: new Headers(signed.headers), body: new TextEncoder().encode(signed.body), receivedAt: options.receivedAt ?? Date.now() }
}

/** The kernel's receiver of the Jira webhook declaration under `settings`. */
export const receiverFor = (configured: JiraSettings = settings()) => receiverOf({ displayName: "Jira", webhook: JiraWebhook.make(configured) })

/** Verifies and decodes a payload, then decides it for one publication. */
export const decisionOf = async (
  payload: Readonly<Record<string, unknown>>,
  options: { readonly installation?: Installation; readonly publication?: Publication } = {}
): Promise<DispatchDecision> => {
  const decoded = await Effect.runPromise(receiverFor().receive(await raw(payload), Option.none()))
  return decoded.decide(options.installation ?? installation(), options.publication ?? publication())
}

export const dispatched = (decision: DispatchDecision) => {
  if (decision._tag !== "Dispatch") throw new Error(`expected a dispatch, got ignore: ${decision.reason}`)
  return decision.intent
}

export const ignored = (decision: DispatchDecision): string => {
  if (decision._tag !== "Ignore") throw new Error(`expected an ignore, got a dispatch to ${decision.intent.sessionKey}`)
  return decision.reason
}

export interface ServedFake {
  readonly fake: FakeJira
  readonly url: string
  readonly settings: JiraSettings
}

/** The fake Jira on a loopback port for the test's scope, and settings pointing at it. */
export const servedFakeJira = (): Effect.Effect<ServedFake, never, Scope.Scope> =>
  Effect.gen(function*() {
    const fake = makeFakeJira({ autoApprove: true })
    const served = yield* Effect.acquireRelease(Effect.promise(() => serve(fake.handler)), (server) => Effect.promise(() => server.close()))
    return {
      fake,
      url: served.url,
      settings: settings({
        oauth: Option.some({ clientId: fake.control.clientId, clientSecret: Redacted.make(fake.control.clientSecret) }),
        authUrl: served.url,
        apiUrl: served.url,
        // The fake's own port only: a bare 127.0.0.1 admits no port but the default.
        siteHosts: [new URL(served.url).host]
      })
    }
  })
