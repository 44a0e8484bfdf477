/**
 * Installing Linear as an agent, on the kernel's authorization-code install: `actor=app` (the
 * app acts as its own Linear user, which is what makes it mentionable and assignable), PKCE
 * S256, comma-separated scopes, and Linear's revoke endpoint on uninstall. Every Linear grant has
 * a refresh token, so a token set without one cannot be refreshed.
 *
 * After the exchange it asks GraphQL who the app user is (`viewer`) and which workspace was
 * connected (`organization`): the organization id is the installation's external account, and
 * the app user's id and handle are kept in metadata, to ignore the app's own webhook events and
 * to recognise comments that mention it.
 *
 * Access tokens expire (24 hours); the kernel refreshes ahead of expiry and after a rejection,
 * one refresh at a time per installation, because each refresh rotates the refresh token.
 */
import { Effect, Schema } from "effect"
import { InstallError, type ToolError } from "../../../kernel/domain/Errors.ts"
import * as OAuth2 from "../../../kernel/provider/OAuth2.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import * as LinearClient from "../LinearClient.ts"
import type { LinearSettings } from "../LinearConfig.ts"

export const Identity = LinearClient.operation(
  "SwitchboardInstallation",
  "query SwitchboardInstallation { viewer { id name displayName } organization { id name urlKey } }",
  Schema.Struct({
    viewer: Schema.Struct({ id: Schema.String, name: Schema.String, displayName: nullable(Schema.String) }),
    organization: Schema.Struct({ id: Schema.String, name: Schema.String, urlKey: Schema.String })
  })
)

const identityError = (error: ToolError): InstallError =>
  new InstallError({
    reason: error.reason === "Unauthorized" || error.reason === "Forbidden" ? "VendorRejected" : "VendorUnavailable",
    message: `Could not read the connected Linear workspace: ${error.message}`
  })

export const make = (settings: LinearSettings) => {
  const client = LinearClient.make(settings.apiUrl)
  return OAuth2.authorizationCode({
    vendor: "Linear",
    client: settings.oauth,
    clientSettings: "LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET",
    authorizeUrl: `${settings.oauthUrl}/oauth/authorize`,
    authorizeParams: { actor: "app" },
    tokenUrl: `${settings.apiUrl}/oauth/token`,
    scopes: ["read", "write", "app:assignable", "app:mentionable"],
    scopeSeparator: ",",
    pkce: true,
    revokedAdvice: "reinstall the app in the workspace",
    missingRefreshToken: "fail",
    revokeUrl: `${settings.apiUrl}/oauth/revoke`,
    connect: (tokens) =>
      client.execute(Identity, {}, tokens.accessToken).pipe(
        Effect.mapError(identityError),
        Effect.map(({ organization, viewer }) => ({
          externalAccountId: organization.id,
          displayName: organization.name,
          metadata: {
            appUserId: viewer.id,
            appUserName: viewer.name,
            // The handle people type to @-mention the agent, for the comment path.
            appUserDisplayName: viewer.displayName ?? viewer.name,
            urlKey: organization.urlKey
          }
        }))
      )
  })
}
