/**
 * Branded identifiers. Every row in Switchboard belongs to a tenant, so the tenant id is
 * branded separately from everything else to make mixing them up a type error.
 */
import { Schema } from "effect"

export const TenantId = Schema.String.pipe(Schema.brand("TenantId"))
export type TenantId = typeof TenantId.Type

export const InstallationId = Schema.String.pipe(Schema.brand("InstallationId"))
export type InstallationId = typeof InstallationId.Type

export const PublicationId = Schema.String.pipe(Schema.brand("PublicationId"))
export type PublicationId = typeof PublicationId.Type

/** A provider's id: lowercase, used in routes (`/webhook/<id>`) and tool names (`mcp_<id>_<tool>`). */
export const ProviderId = Schema.String.check(Schema.isPattern(/^[a-z][a-z0-9]{1,30}$/)).pipe(
  Schema.brand("ProviderId")
)
export type ProviderId = typeof ProviderId.Type

/** Our own id for a stored webhook event. */
export const EventId = Schema.String.pipe(Schema.brand("EventId"))
export type EventId = typeof EventId.Type

/** A session key such as `linear:issue:<id>` or `slack:thread:<channel>:<ts>`. */
export const SessionKey = Schema.String.pipe(Schema.brand("SessionKey"))
export type SessionKey = typeof SessionKey.Type
