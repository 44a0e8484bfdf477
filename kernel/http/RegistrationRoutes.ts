/**
 * Tenant-owned vendor apps and browser install links.
 *
 * - `POST /v1/registrations` `{ providerId, name }`: a pending app registration, the URLs the app
 *   must point at, and (for Slack-like vendors) the manifest to paste into the vendor's settings;
 * - `PUT /v1/registrations/<id>/credentials` `{ fields }`: the app's credentials, validated with
 *   the vendor, then sealed; `GET /v1/registrations` lists them (never their secrets);
 * - `GET /install/<id>/app` (key or ticket): the vendor's manifest flow (GitHub), whose callback
 *   `GET /install/<id>/app/callback` stores the new app and continues into installing it;
 * - `POST /v1/install-tickets` `{ providerId }`: a signed, single-use 10-minute ticket for one
 *   provider's install links opened in a browser.
 */
import { Effect, Layer, Option, Schema } from "effect"
import { HttpServerResponse } from "effect/http"
import { AppRegistrationId } from "../domain/AppRegistration.ts"
import { ApiError } from "../domain/Errors.ts"
import { Registrations } from "../install/Registrations.ts"
import type { BrowserStep } from "../provider/Registration.ts"
import { Registry } from "../registry/Registry.ts"
import { AppRegistrationStore } from "../store/AppRegistrationStore.ts"
import { InstallTickets } from "../vault/InstallTickets.ts"
import { jsonBody, pathParam, requestUrl, tenantOf, tenantOfBrowser } from "./Requests.ts"
import { guardPage } from "./ErrorPage.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const CreateRegistration = Schema.Struct({
  providerId: Schema.String,
  name: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(80))
})
const Credentials = Schema.Struct({ fields: Schema.Record(Schema.String, Schema.String) })
/** A ticket opens one provider's install links only. */
const TicketRequest = Schema.Struct({ providerId: Schema.String })

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)

/** The one inline script the form page runs: its `onload`, allowed by hash and nothing else. */
export const AUTO_SUBMIT = "document.forms[0].submit()"
export const AUTO_SUBMIT_HASH = "sha256-ePniVEkSivX/c7XWBGafqh8tSpiRrKiqYeqbG7N1TOE="

/**
 * The form page's policy: it may post to the vendor's origin (and follow the vendor's redirect
 * back here: browsers hold redirects of a form post to `form-action` too) and run only its `onload`.
 */
const formPagePolicy = (target: string) => {
  let origin = "'none'"
  try {
    origin = new URL(target).origin
  } catch {
    // A target that is no URL gets a form that can post nowhere.
  }
  return `default-src 'none'; script-src 'unsafe-hashes' '${AUTO_SUBMIT_HASH}'; style-src 'unsafe-inline'; ` +
    `form-action 'self' ${origin}; base-uri 'none'; frame-ancestors 'none'`
}

/** A redirect, or a page that posts a form at once (how GitHub takes an app manifest). */
const browserStep = (step: BrowserStep) =>
  step._tag === "Redirect"
    ? HttpServerResponse.redirect(step.url, { status: 302 })
    : HttpServerResponse.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Continue</title></head>
<body onload="${AUTO_SUBMIT}" style="font-family: system-ui, sans-serif; margin: 4rem auto; max-width: 36rem">
<form method="post" action="${escapeHtml(step.url)}">${
      Object.entries(step.fields).map(([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`
      ).join("")
    }<p>Continuing to create the app…</p><button type="submit">Continue</button></form></body></html>`).pipe(
      HttpServerResponse.setHeader("content-security-policy", formPagePolicy(step.url))
    )

export const RegistrationRoutes = Layer.mergeAll(
  route(
    "POST",
    "/v1/registrations",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const registrations = yield* Registrations
      const body = yield* jsonBody(CreateRegistration)
      const { method } = yield* registrations.methodOf(body.providerId)
      const { registration, urls } = yield* registrations.create(tenantId, body.providerId, body.name)
      return json(201, {
        registration,
        urls,
        fields: method.fields,
        ...(method.manifest === undefined ? {} : { manifest: method.manifest({ name: body.name, urls }) })
      })
    }))
  ),
  route(
    "PUT",
    "/v1/registrations/:id/credentials",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const registrations = yield* Registrations
      const body = yield* jsonBody(Credentials)
      const registration = yield* registrations.paste(tenantId, AppRegistrationId.make(yield* pathParam("id")), body.fields)
      return json(200, { registration })
    }))
  ),
  route(
    "GET",
    "/v1/registrations",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      return json(200, { registrations: yield* (yield* AppRegistrationStore).list(tenantId) })
    }))
  ),
  route(
    "POST",
    "/v1/install-tickets",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const { providerId } = yield* jsonBody(TicketRequest)
      if (Option.isNone((yield* Registry).get(providerId))) {
        return yield* new ApiError({ reason: "NotFound", message: `No provider "${providerId}"` })
      }
      return json(201, yield* (yield* InstallTickets).mint(tenantId, providerId))
    }))
  ),
  route(
    "GET",
    "/install/:provider/app",
    guardPage(Effect.gen(function*() {
      const tenantId = yield* tenantOfBrowser
      const url = yield* requestUrl
      const step = yield* (yield* Registrations).startManifest(tenantId, yield* pathParam("provider"), {
        name: url.searchParams.get("name") ?? "Switchboard",
        returnUrl: Option.fromNullishOr(url.searchParams.get("returnUrl"))
      })
      return browserStep(step)
    }))
  ),
  route(
    "GET",
    "/install/:provider/app/callback",
    guardPage(Effect.gen(function*() {
      const providerId = yield* pathParam("provider")
      const url = yield* requestUrl
      const { registration, returnUrl } = yield* (yield* Registrations).finishManifest(providerId, url.searchParams)
      // The state proved the tenant; a fresh ticket carries that proof into installing the app.
      const { ticket } = yield* (yield* InstallTickets).mint(registration.tenantId, providerId)
      const next = new URL(`/install/${providerId}`, url)
      next.searchParams.set("registration", registration.id)
      next.searchParams.set("ticket", ticket)
      if (Option.isSome(returnUrl)) next.searchParams.set("returnUrl", returnUrl.value)
      return HttpServerResponse.redirect(`${next.pathname}${next.search}`, { status: 302 })
    }))
  )
)
