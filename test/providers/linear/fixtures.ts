/**
 * Shared test fixtures for the Linear provider: settings, an installation and publication, raw
 * webhooks from signed deliveries, and the fake Linear served on loopback for the test's scope.
 */
import { Effect, Option, Redacted, type Scope } from "effect"
import type { Installation } from "../../../kernel/domain/Installation.ts"
import { InstallationId, ProviderId, PublicationId, TenantId } from "../../../kernel/domain/Ids.ts"
import type { Publication } from "../../../kernel/domain/Publication.ts"
import type { DispatchDecision, RawWebhook } from "../../../kernel/provider/Webhook.ts"
import { receiverOf } from "../../../kernel/webhooks/Receiver.ts"
import type { LinearSettings } from "../../../providers/linear/LinearConfig.ts"
import * as LinearWebhook from "../../../providers/linear/webhook/LinearWebhook.ts"
import { makeFakeLinear } from "../../../sandbox/fakes/linear/FakeLinear.ts"
import type { FakeLinear } from "../../../sandbox/fakes/linear/FakeLinear.ts"
import type { FakeLinearOptions } from "../../../sandbox/fakes/linear/FakeLinearState.ts"
import type { SignedLinearWebhook } from "../../../sandbox/fakes/linear/sign.ts"
import { serve } from "../../support/serve.ts"

export const WEBHOOK_SECRET = "whsec-linear-test-current"
export const OLD_WEBHOOK_SECRET = "whsec-linear-test-previous"
export const ORGANIZATION_ID = "org-fake-0000-0000-000000000001"
export const APP_USER_ID = "user-app-0000-0000-000000000001"
export const HUMAN_USER_ID = "user-human-0000-0000-000000000001"
export const NOW = Date.UTC(2026, 10, 29, 12, 0, 0)

export const settings = (overrides: Partial<LinearSettings> = {}): LinearSettings => ({
  oauth: Option.some({ clientId: "fake-linear-client-id", clientSecret: Redacted.make("fake-linear-client-secret") }),
  webhookSecrets: [Redacted.make(WEBHOOK_SECRET)],
  apiUrl: "https://api.linear.app",
  oauthUrl: "https://linear.app",
  ...overrides
})

/** How the kernel runs Linear's webhook declaration: `receive` verifies and reads the envelope, `reread` does not verify. */
export const receiver = (overrides: Partial<LinearSettings> = {}) =>
  receiverOf({ displayName: "Linear", webhook: LinearWebhook.make(settings(overrides)) })

export const installation = (metadata: Record<string, string> = { appUserId: APP_USER_ID }): Installation => ({
  id: InstallationId.make("ins_linear_1"),
  tenantId: TenantId.make("ten_1"),
  providerId: ProviderId.make("linear"),
  externalAccountId: ORGANIZATION_ID,
  registrationId: null,
  displayName: "Fake Workspace",
  status: "active",
  grantedScopes: ["read", "write", "app:assignable", "app:mentionable"],
  metadata,
  createdAt: 0,
  updatedAt: 0
})

export const publication = (overrides: Partial<Publication> = {}): Publication => ({
  id: PublicationId.make("pub_1"),
  tenantId: TenantId.make("ten_1"),
  installationId: InstallationId.make("ins_linear_1"),
  agentId: "agent-1",
  scopes: ["issues:read", "comments:write"],
  granularity: "issue",
  filters: {},
  status: "active",
  createdAt: 0,
  updatedAt: 0,
  ...overrides
})

export const rawWebhook = (signed: Pick<SignedLinearWebhook, "body" | "headers">, receivedAt = NOW): RawWebhook => ({
  headers: new Headers(signed.headers),
  body: new TextEncoder().encode(signed.body),
  receivedAt
})

export const dispatched = (decision: DispatchDecision) => {
  if (decision._tag !== "Dispatch") throw new Error(`expected a dispatch, got ignore: ${decision.reason}`)
  return decision.intent
}

export const ignored = (decision: DispatchDecision): string => {
  if (decision._tag !== "Ignore") throw new Error(`expected an ignore, got a dispatch to ${decision.intent.sessionKey}`)
  return decision.reason
}

export interface ServedFake {
  readonly fake: FakeLinear
  readonly url: string
  readonly settings: LinearSettings
}

/** The fake Linear on a loopback port for the test's scope, and provider settings pointing at it. */
export const servedFakeLinear = (options: FakeLinearOptions = {}): Effect.Effect<ServedFake, never, Scope.Scope> =>
  Effect.gen(function*() {
    const fake = makeFakeLinear(options)
    const served = yield* Effect.acquireRelease(
      Effect.promise(() => serve(fake.handler)),
      (server) => Effect.promise(() => server.close())
    )
    return {
      fake,
      url: served.url,
      settings: settings({
        oauth: Option.some({ clientId: fake.control.clientId, clientSecret: Redacted.make(fake.control.clientSecret) }),
        apiUrl: served.url,
        oauthUrl: served.url
      })
    }
  })
