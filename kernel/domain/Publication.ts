/**
 * A publication: which agent serves an installation, with which scopes (the tools it may use),
 * at which granularity (one session per workspace, issue, thread or user), and with which
 * routing filters (teams, repositories, channels ...).
 */
import { Schema } from "effect"
import { InstallationId, PublicationId, TenantId } from "./Ids.ts"

export const Granularity = Schema.Literals(["workspace", "issue", "thread", "user"])
export type Granularity = typeof Granularity.Type

export const PublicationStatus = Schema.Literals(["active", "paused"])
export type PublicationStatus = typeof PublicationStatus.Type

export const Publication = Schema.Struct({
  id: PublicationId,
  tenantId: TenantId,
  installationId: InstallationId,
  agentId: Schema.String,
  scopes: Schema.Array(Schema.String),
  granularity: Granularity,
  /** Routing filters by provider-defined key (`team`, `repo`, `channel`); empty means all. */
  filters: Schema.Record(Schema.String, Schema.Array(Schema.String)),
  status: PublicationStatus,
  createdAt: Schema.Number,
  updatedAt: Schema.Number
})
export type Publication = typeof Publication.Type
