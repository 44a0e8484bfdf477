/** A pending OAuth flow: single use, expiring, carrying the PKCE verifier and the return URL. */
import { Schema } from "effect"
import { ProviderId, TenantId } from "./Ids.ts"

export const OAuthState = Schema.Struct({
  state: Schema.String,
  tenantId: TenantId,
  providerId: ProviderId,
  codeVerifier: Schema.NullOr(Schema.String),
  returnUrl: Schema.NullOr(Schema.String),
  /** The tenant's own app the flow installs, or the app registration a manifest flow completes. */
  registrationId: Schema.NullOr(Schema.String),
  expiresAt: Schema.Number,
  createdAt: Schema.Number
})
export type OAuthState = typeof OAuthState.Type
