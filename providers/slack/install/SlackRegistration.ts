/**
 * A tenant's own Slack app: the manifest to paste into Slack (pointing at this deployment's
 * URLs for the registration), and the credential paste from the app's "Basic Information" page
 * (Client ID, Client Secret, Signing Secret), checked with Slack before anything is stored.
 *
 * Slack has no endpoint that checks client credentials on their own, so the check is an
 * `oauth.v2.access` with a code that cannot exist: Slack answers `invalid_code` only after it
 * accepted the client id and secret, and `invalid_client_id` or `bad_client_secret` otherwise.
 * The signing secret cannot be checked that way; Slack proves it with the first signed request
 * (the `url_verification` it sends when the admin verifies the request URL), which fails with 401
 * under a wrong one. Hence the admin's order: create the app from the manifest, paste its
 * credentials here, then click "Verify" on the request URL in Slack (until the paste, the
 * registration is pending and its webhook URL answers 404). The registration's external app id
 * is the Client ID, the one identifier the paste carries; the app id (`A…`) is learnt at
 * install, in the installation's metadata.
 */
import { Effect, Redacted } from "effect"
import { InstallError } from "../../../kernel/domain/Errors.ts"
import type { AppRegistrationMethod, RegistrationGrant } from "../../../kernel/provider/Registration.ts"
import { APP_CLIENT_ID, APP_CLIENT_SECRET, APP_SIGNING_SECRET, type SlackSettings } from "../SlackConfig.ts"
import * as SlackManifest from "./SlackManifest.ts"
import { oauthAccess } from "./SlackOAuth.ts"

/** A code Slack can never have issued, for the credential check. */
export const PROBE_CODE = "switchboard-credential-check"

const invalid = (message: string) => new InstallError({ reason: "InvalidCredentials", message })

const CLIENT_ID = /^\d+\.\d+$/
const SIGNING_SECRET = /^[A-Za-z0-9]{16,128}$/

export const make = (settings: SlackSettings): AppRegistrationMethod => ({
  fields: [
    {
      name: APP_CLIENT_ID,
      label: "Client ID",
      secret: false,
      description: "Basic Information → App Credentials → Client ID (digits, a dot, digits)"
    },
    {
      name: APP_CLIENT_SECRET,
      label: "Client Secret",
      secret: true,
      description: "Basic Information → App Credentials → Client Secret"
    },
    {
      name: APP_SIGNING_SECRET,
      label: "Signing Secret",
      secret: true,
      description: "Basic Information → App Credentials → Signing Secret (not the deprecated verification token)"
    }
  ],
  validate: Effect.fn("SlackRegistration.validate")(function*(fields, urls) {
    const clientId = Redacted.value(fields[APP_CLIENT_ID] ?? Redacted.make("")).trim()
    const clientSecret = Redacted.make(Redacted.value(fields[APP_CLIENT_SECRET] ?? Redacted.make("")).trim())
    const signingSecret = Redacted.make(Redacted.value(fields[APP_SIGNING_SECRET] ?? Redacted.make("")).trim())
    if (!CLIENT_ID.test(clientId)) return yield* invalid("The Client ID does not look like Slack's (digits, a dot, digits)")
    if (!SIGNING_SECRET.test(Redacted.value(signingSecret))) {
      return yield* invalid("The Signing Secret does not look like Slack's (letters and digits only)")
    }
    const answer = yield* oauthAccess(settings, { clientId, clientSecret }, "check the app's credentials", {
      grant_type: "authorization_code",
      code: PROBE_CODE,
      redirect_uri: urls.redirectUrl
    })
    if (answer.ok) return yield* invalid("Slack accepted a code that cannot exist; these are not a Slack app's credentials")
    switch (answer.error) {
      case "invalid_code":
      case "code_already_used":
      case "bad_redirect_uri":
        break
      case "invalid_client_id":
        return yield* invalid("Slack does not know this Client ID")
      case "bad_client_secret":
        return yield* invalid("The Client Secret does not belong to this Client ID")
      default:
        return yield* new InstallError({ reason: "VendorUnavailable", message: `Slack could not check the credentials (${answer.error})` })
    }
    const grant: RegistrationGrant = {
      externalAppId: clientId,
      displayName: `Slack app ${clientId}`,
      metadata: { [APP_CLIENT_ID]: clientId, webhookUrl: urls.webhookUrl, redirectUrl: urls.redirectUrl },
      secrets: { [APP_CLIENT_SECRET]: clientSecret, [APP_SIGNING_SECRET]: signingSecret }
    }
    return grant
  }),
  manifest: ({ name, urls }) => SlackManifest.make({ name, urls })
})
