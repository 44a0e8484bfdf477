/**
 * A tenant's own vendor app: a GitHub App made from Switchboard's manifest, or a Slack app the
 * tenant created and pasted the credentials of. It is created `pending` first, so its id can go
 * into the app's webhook URL (`/webhook/<provider>/<registration id>`) before the app exists,
 * and becomes `active` once the vendor's credentials are stored. Its secrets (private key,
 * webhook secret, client secret, signing secret) live apart, sealed, like installation tokens.
 */
import { Schema } from "effect"
import { ProviderId, TenantId } from "./Ids.ts"

export const AppRegistrationId = Schema.String.pipe(Schema.brand("AppRegistrationId"))
export type AppRegistrationId = typeof AppRegistrationId.Type

export const AppRegistrationStatus = Schema.Literals(["pending", "active"])
export type AppRegistrationStatus = typeof AppRegistrationStatus.Type

export const AppRegistration = Schema.Struct({
  id: AppRegistrationId,
  tenantId: TenantId,
  providerId: ProviderId,
  status: AppRegistrationStatus,
  /** The vendor's id of the app (GitHub App id, Slack api_app_id); null while pending. */
  externalAppId: Schema.NullOr(Schema.String),
  displayName: Schema.String,
  /** Public facts about the app (slug, client id, owner ...); never secrets. */
  metadata: Schema.Record(Schema.String, Schema.String),
  createdAt: Schema.Number,
  updatedAt: Schema.Number
})
export type AppRegistration = typeof AppRegistration.Type
