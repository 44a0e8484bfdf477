/**
 * An installation: one tenant's connection to one third-party workspace (a Linear organization,
 * a GitHub App installation, a Slack team). Its secrets live apart, encrypted, in
 * `InstallationSecrets`; this model is what the API and the Console may see.
 */
import { Schema } from "effect"
import { InstallationId, ProviderId, TenantId } from "./Ids.ts"

export const InstallationStatus = Schema.Literals(["active", "revoked"])
export type InstallationStatus = typeof InstallationStatus.Type

export const Installation = Schema.Struct({
  id: InstallationId,
  tenantId: TenantId,
  providerId: ProviderId,
  /** The vendor's id of the connected workspace (Linear organization id, Slack team id ...). */
  externalAccountId: Schema.String,
  displayName: Schema.String,
  status: InstallationStatus,
  /** Scopes the vendor granted at install time. */
  grantedScopes: Schema.Array(Schema.String),
  /** The tenant's own vendor app this installation belongs to; null for the deployment's app. */
  registrationId: Schema.NullOr(Schema.String),
  /** Vendor facts needed later (the app user id, the bot user id ...); never secrets. */
  metadata: Schema.Record(Schema.String, Schema.String),
  createdAt: Schema.Number,
  updatedAt: Schema.Number
})
export type Installation = typeof Installation.Type
