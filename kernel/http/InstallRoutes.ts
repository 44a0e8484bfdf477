/**
 * Install routes: `GET /install/<id>` starts OAuth (tenant API key as bearer, or a signed
 * `?ticket=` from `POST /v1/install-tickets` for browsers; `?registration=` for a tenant's own
 * app): it sets the install cookie that binds the flow to this browser and shows a hand-off page
 * naming the tenant and the provider, whose Continue link goes on to the vendor's consent, so an
 * admin sent someone else's install link can tell before approving. `GET /install/<id>/callback`
 * requires that cookie, finishes the flow and returns the user to the allowed return URL (or a
 * small page); refusals a person can act on (another browser, a used or expired link) are pages,
 * and so is every other error when a browser asks (ErrorPage.ts); API clients get JSON.
 * `POST /install/<id>` stores pasted credentials after the provider validated them with the
 * vendor. Tokens never appear in any response.
 */
import { Effect, Layer, Option, Result, Schema } from "effect"
import { HttpServerRequest, HttpServerResponse } from "effect/http"
import type { InstallError } from "../domain/Errors.ts"
import * as BrowserBinding from "../install/BrowserBinding.ts"
import { Install, type StartedInstall } from "../install/Install.ts"
import { KernelConfig } from "../KernelConfig.ts"
import { escapeHtml, guardPage, page } from "./ErrorPage.ts"
import { jsonBody, pathParam, requestUrl, tenantOf, tenantOfBrowser } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const PasteBody = Schema.Struct({ fields: Schema.Record(Schema.String, Schema.String) })

const pendingPage = (message: string) =>
  HttpServerResponse.setStatus(
    HttpServerResponse.html(page("Waiting for approval", `<h1>Waiting for approval</h1><p>${escapeHtml(message)}</p>`)),
    202
  )

const installedPage = (displayName: string) =>
  HttpServerResponse.html(page(
    "Installed",
    `<h1>Connected</h1><p>${escapeHtml(displayName)} is connected to Switchboard. You can close this tab.</p>`
  ))

/**
 * The hand-off before the vendor's consent: it names who gains the installation, so an admin who
 * did not start this flow (someone sent them the link) can stop here. The link sends no Referer,
 * which would carry the install ticket to the vendor.
 */
const handOffPage = (started: StartedInstall) => {
  const provider = escapeHtml(started.providerName)
  return HttpServerResponse.html(page(
    `Connect ${started.providerName} to Switchboard`,
    `<h1>Connect ${provider} to Switchboard</h1>
<p>You are about to connect a ${provider} workspace to the Switchboard tenant <strong>${escapeHtml(started.tenantName)}</strong>.
After you approve on ${provider}'s page, that tenant's agents can act in the workspace you pick, within what you grant.</p>
<p>If you did not start this yourself, or you do not know this tenant, close this tab: nothing has been connected.</p>
<p><a id="continue" rel="noreferrer" href="${escapeHtml(started.authorizeUrl)}" style="display: inline-block; padding: 0.6rem 1.2rem; background: #1f5fbf; color: #fff; border-radius: 0.4rem; text-decoration: none">Continue to ${provider}</a></p>`
  )).pipe(HttpServerResponse.setHeader("cache-control", "no-store"))
}

/** What a person can do about a refused callback; the flow must be started again either way. */
const refusedPage = (error: InstallError, cookieSent: boolean) => {
  const title = error.reason === "BrowserMismatch" ? "This install belongs to another browser" : "This install link cannot be used"
  return HttpServerResponse.setStatus(
    HttpServerResponse.html(page(
      title,
      `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(error.message)}.</p>
<p>Nothing was connected. Start the install again from the Switchboard Console, in the browser you will approve it in.</p>`
    )),
    // No cookie at all: a malformed request from this browser's point of view; another flow's cookie: forbidden.
    error.reason === "BrowserMismatch" && cookieSent ? 403 : 400
  )
}

const refusedAsPage: ReadonlySet<InstallError["reason"]> = new Set(["BrowserMismatch", "InvalidState", "ExpiredState"])

export const InstallRoutes = Layer.mergeAll(
  route(
    "GET",
    "/install/:provider",
    guardPage(Effect.gen(function*() {
      const tenantId = yield* tenantOfBrowser
      const install = yield* Install
      const url = yield* requestUrl
      const config = yield* KernelConfig
      const providerId = yield* pathParam("provider")
      const started = yield* install.start(tenantId, providerId, {
        returnUrl: Option.fromNullishOr(url.searchParams.get("returnUrl")),
        registrationId: Option.fromNullishOr(url.searchParams.get("registration"))
      })
      return HttpServerResponse.setCookieUnsafe(
        handOffPage(started),
        BrowserBinding.COOKIE_NAME,
        started.browserBinding,
        { ...BrowserBinding.cookieOptions(config.publicUrl, providerId), maxAge: "10 minutes" }
      )
    }))
  ),
  route(
    "GET",
    "/install/:provider/callback",
    guardPage(Effect.gen(function*() {
      const install = yield* Install
      const config = yield* KernelConfig
      const url = yield* requestUrl
      const providerId = yield* pathParam("provider")
      const request = yield* HttpServerRequest.HttpServerRequest
      const binding = Option.fromNullishOr(request.cookies[BrowserBinding.COOKIE_NAME]).pipe(
        Option.filter((value) => value.length > 0)
      )
      const outcome = yield* Effect.result(install.callback(providerId, url.searchParams, binding))
      if (Result.isFailure(outcome)) {
        const failure = outcome.failure
        // A request awaiting someone else's approval is not an error for the person who made it.
        if (failure._tag === "InstallError" && failure.reason === "PendingApproval") {
          return pendingPage(failure.message)
        }
        if (failure._tag === "InstallError" && refusedAsPage.has(failure.reason)) {
          return refusedPage(failure, Option.isSome(binding))
        }
        return yield* failure
      }
      const result = outcome.success
      // The flow is over: the browser need not keep its cookie.
      const forget = HttpServerResponse.expireCookieUnsafe(
        BrowserBinding.COOKIE_NAME,
        BrowserBinding.cookieOptions(config.publicUrl, providerId)
      )
      return forget(Option.match(result.returnUrl, {
        onNone: () => installedPage(result.installation.displayName),
        onSome: (returnUrl) => {
          const target = new URL(returnUrl)
          target.searchParams.set("installation", result.installation.id)
          return HttpServerResponse.redirect(target.toString(), { status: 302 })
        }
      }))
    }))
  ),
  route(
    "POST",
    "/install/:provider",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOf
      const install = yield* Install
      const body = yield* jsonBody(PasteBody)
      const installation = yield* install.paste(tenantId, yield* pathParam("provider"), body.fields)
      return json(201, { installation })
    }))
  )
)
