import type { SessionDelivery } from "../../../kernel/domain/SessionDispatch.ts"
import type { EventId, InstallationId, ProviderId, PublicationId, SessionKey, TenantId } from "../../../kernel/domain/Ids.ts"

export const signingKey = "test-signing-key-0123456789abcdef0123456789"

export const delivery = (overrides: { readonly id?: string; readonly token?: string } = {}): SessionDelivery => ({
  dispatch: {
    id: overrides.id ?? "dsp_1",
    tenantId: "ten_1" as TenantId,
    providerId: "linear" as ProviderId,
    installationId: "ins_1" as InstallationId,
    publicationId: "pub_1" as PublicationId,
    agentId: "agent-1",
    eventId: "evt_1" as EventId,
    deliveryId: "delivery-1",
    eventType: "AgentSessionEvent.created",
    mode: "create",
    sessionKey: "linear:issue:ISS-1" as SessionKey,
    sessionId: "ses_1",
    prompt: "Please look at this issue",
    stop: false,
    context: { issueId: "ISS-1", title: "Broken" },
    actor: { id: "user-1", name: "Ada" },
    createdAt: 1_700_000_000_000
  },
  mcp: { url: "http://localhost:8787/mcp", token: overrides.token ?? "secret-mcp-token", expiresAt: 1_700_000_900_000 },
  attempt: 1
})
