/**
 * Tenant-owned GitHub Apps: the manifest Switchboard asks GitHub to create an app from, the
 * manifest flow's two halves, and the credential paste for an app made by hand.
 *
 * - The manifest names the permissions the tools need (`publication/Scopes.ts`), the trigger events,
 *   the registration's webhook URL (`/webhook/github/<registration id>`), the manifest callback
 *   (`redirect_url`) and the install callback (`setup_url`, which GitHub calls with
 *   `installation_id`, `setup_action` and our `state`). The app is private: only its owner
 *   account can install it.
 * - `start` posts the manifest to `<web>/settings/apps/new` (a personal account) or, when the
 *   name is `<organization>/<app name>`, to `<web>/organizations/<organization>/settings/apps/new`
 *   (GitHub app names cannot contain a slash, so the form is unambiguous).
 * - `convert` trades the callback's one-hour `code` for the app's id, slug, PKCS#1 private key,
 *   webhook secret and OAuth client credentials.
 * - The paste takes the App id, the private key and the webhook secret, and checks the id and
 *   key with `GET /app` before anything is stored. The webhook secret cannot be checked with
 *   the API; a wrong one shows as 401s on the app's deliveries. To rotate it without dropping
 *   deliveries, paste `new,previous`: the previous secret stays valid for `ROTATION_WINDOW_MS`
 *   (`webhook/GitHubWebhook.ts`).
 */
import { Clock, Effect, Redacted, Result, type Schema } from "effect"
import { InstallError } from "../../../kernel/domain/Errors.ts"
import type { AppRegistrationMethod, AppUrls, RegistrationGrant } from "../../../kernel/provider/Registration.ts"
import { splitSecrets } from "../../../kernel/provider/Settings.ts"
import { type GitHubSettings, normalizePem } from "../GitHubSettings.ts"
import { requiredPermissions } from "../publication/Scopes.ts"
import { TRIGGER_EVENTS } from "../webhook/GitHubWebhook.ts"
import * as AppApi from "./AppApi.ts"
import { appJwt } from "./AppAuth.ts"
import { toPkcs8Pem } from "./AppKeys.ts"

const installError = (reason: InstallError["reason"], message: string) => new InstallError({ reason, message })

/** `acme/Switchboard` → the organization `acme` and the app name `Switchboard`. */
export const ownerAndName = (name: string): { readonly organization: string | undefined; readonly appName: string } => {
  const match = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/(.+)$/.exec(name.trim())
  return match === null ? { organization: undefined, appName: name.trim() } : { organization: match[1], appName: (match[2] ?? "").trim() }
}

export const manifestFor = (name: string, urls: AppUrls): Schema.Json => ({
  name: ownerAndName(name).appName,
  url: urls.publicUrl,
  description: "Switchboard: hands issues and pull requests to an AI agent when it is mentioned, assigned, asked " +
    "for a review or labelled, and lets the agent comment, review, branch and commit.",
  hook_attributes: { url: urls.webhookUrl, active: true },
  redirect_url: urls.manifestCallbackUrl,
  callback_urls: [urls.redirectUrl],
  setup_url: urls.redirectUrl,
  setup_on_update: false,
  request_oauth_on_install: false,
  public: false,
  default_permissions: { ...requiredPermissions() },
  default_events: [...TRIGGER_EVENTS]
})

const metadataOf = (app: AppApi.AppInfo, now: number): Record<string, string> => ({
  slug: app.slug,
  botLogin: `${app.slug}[bot]`,
  ...(app.owner === undefined || app.owner === null ? {} : { owner: app.owner.login }),
  ...(app.client_id === undefined || app.client_id === null ? {} : { clientId: app.client_id }),
  ...(app.html_url === undefined || app.html_url === null ? {} : { htmlUrl: app.html_url }),
  webhookSecretSetAt: String(now)
})

const validate = (settings: GitHubSettings): AppRegistrationMethod["validate"] =>
  Effect.fn("GitHubRegistration.validate")(function*(fields) {
    const appId = Redacted.value(fields["app_id"] ?? Redacted.make("")).trim()
    if (!/^\d+$/.test(appId)) return yield* installError("InvalidCredentials", "app_id must be the App's numeric id")
    const pem = normalizePem(Redacted.value(fields["private_key"] ?? Redacted.make("")))
    const checked = toPkcs8Pem(pem)
    if (Result.isFailure(checked)) return yield* installError("InvalidCredentials", checked.failure.message)
    const secrets = splitSecrets(fields["webhook_secret"] ?? Redacted.make(""))
    if (secrets.length === 0) return yield* installError("InvalidCredentials", "webhook_secret is empty")
    const privateKey = Redacted.make(pem)
    const app = yield* AppApi.getApp(settings.apiUrl, yield* appJwt(appId, privateKey))
    if (String(app.id) !== appId) {
      return yield* installError("InvalidCredentials", `The private key belongs to App ${app.id}, not ${appId}`)
    }
    const grant: RegistrationGrant = {
      externalAppId: appId,
      displayName: app.name,
      metadata: metadataOf(app, yield* Clock.currentTimeMillis),
      secrets: { privateKey, webhookSecret: Redacted.make(secrets.map(Redacted.value).join(",")) }
    }
    return grant
  })

const convert = (settings: GitHubSettings) =>
  Effect.fn("GitHubRegistration.convert")(function*({ query }: { readonly query: URLSearchParams }) {
    const code = query.get("code") ?? ""
    if (code.length === 0) return yield* installError("InvalidState", "GitHub's app creation callback has no code")
    const app = yield* AppApi.convertManifest(settings.apiUrl, code)
    if (app.webhook_secret === undefined || app.webhook_secret === null) {
      return yield* installError("VendorRejected", `GitHub created App ${app.slug} without a webhook secret`)
    }
    const grant: RegistrationGrant = {
      externalAppId: String(app.id),
      displayName: app.name,
      metadata: metadataOf(app, yield* Clock.currentTimeMillis),
      secrets: {
        privateKey: Redacted.make(app.pem),
        webhookSecret: Redacted.make(app.webhook_secret),
        clientSecret: Redacted.make(app.client_secret)
      }
    }
    return grant
  })

export const make = (settings: GitHubSettings): AppRegistrationMethod => ({
  fields: [
    { name: "app_id", label: "App ID", secret: false, description: "The numeric App ID on the app's settings page" },
    {
      name: "private_key",
      label: "Private key",
      secret: true,
      description: "The .pem file GitHub generated for the app (BEGIN RSA PRIVATE KEY), whole"
    },
    {
      name: "webhook_secret",
      label: "Webhook secret",
      secret: true,
      description: "The app's webhook secret. To rotate, paste new,previous: the previous one is accepted for 24 hours"
    }
  ],
  validate: validate(settings),
  manifest: ({ name, urls }) => manifestFor(name, urls),
  manifestFlow: {
    start: ({ name, state, urls }) => {
      const { organization } = ownerAndName(name)
      const page = organization === undefined
        ? new URL(`${settings.webUrl}/settings/apps/new`)
        : new URL(`${settings.webUrl}/organizations/${encodeURIComponent(organization)}/settings/apps/new`)
      page.searchParams.set("state", state)
      return Effect.succeed({ _tag: "FormPost", url: page.toString(), fields: { manifest: JSON.stringify(manifestFor(name, urls)) } })
    },
    convert: convert(settings)
  }
})
