/** One Slack installation and a publication of it, for tests that decide events without the kernel. */
import { InstallationId, ProviderId, PublicationId, TenantId } from "../../../kernel/domain/Ids.ts"
import type { Installation } from "../../../kernel/domain/Installation.ts"
import type { Granularity, Publication } from "../../../kernel/domain/Publication.ts"

export const installation: Installation = {
  id: InstallationId.make("ins_1"),
  tenantId: TenantId.make("ten_1"),
  providerId: ProviderId.make("slack"),
  externalAccountId: "T1",
  displayName: "Acme",
  status: "active",
  grantedScopes: [],
  registrationId: null,
  metadata: { botUserId: "UBOT", botId: "BBOT", teamId: "T1" },
  createdAt: 0,
  updatedAt: 0
}

export const publication = (granularity: Granularity = "thread", channels: ReadonlyArray<string> = []): Publication => ({
  id: PublicationId.make("pub_1"),
  tenantId: TenantId.make("ten_1"),
  installationId: InstallationId.make("ins_1"),
  agentId: "agent",
  scopes: [],
  granularity,
  filters: channels.length === 0 ? {} : { channel: [...channels] },
  status: "active",
  createdAt: 0,
  updatedAt: 0
})
