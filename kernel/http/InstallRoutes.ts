/**
 * Install routes: `GET /install/<id>` starts OAuth (tenant API key as bearer, or a signed
 * `?ticket=` from `POST /v1/install-tickets` for browsers; `?registration=` for a tenant's own
 * app) and redirects to
 * the vendor; `GET /install/<id>/callback` finishes it and returns the user to the allowed
 * return URL (or a small page); `POST /install/<id>` stores pasted credentials after the
 * provider validated them with the vendor. Tokens never appear in any response.
 */
import { Effect, Layer, Option, Result, Schema } from "effect"
import { HttpServerResponse } from "effect/http"
import { Install } from "../install/Install.ts"
import { jsonBody, pathParam, requestUrl, tenantOf, tenantOfBrowser } from "./Requests.ts"
import { guard, json } from "./Respond.ts"
import { route } from "./Route.ts"

const PasteBody = Schema.Struct({ fields: Schema.Record(Schema.String, Schema.String) })

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)

const pendingPage = (message: string) =>
  HttpServerResponse.setStatus(HttpServerResponse.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Waiting for approval</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>Waiting for approval</h1><p>${escapeHtml(message)}</p><p><a href="/">Open the Console</a></p></body></html>`),
    202
  )

const installedPage = (displayName: string) =>
  HttpServerResponse.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Installed</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>Connected</h1><p>${escapeHtml(displayName)} is connected to Switchboard. You can close this tab.</p>
<p><a href="/">Open the Console</a></p></body></html>`)

export const InstallRoutes = Layer.mergeAll(
  route(
    "GET",
    "/install/:provider",
    guard(Effect.gen(function*() {
      const tenantId = yield* tenantOfBrowser
      const install = yield* Install
      const url = yield* requestUrl
      const authorizeUrl = yield* install.start(tenantId, yield* pathParam("provider"), {
        returnUrl: Option.fromNullishOr(url.searchParams.get("returnUrl")),
        registrationId: Option.fromNullishOr(url.searchParams.get("registration"))
      })
      return HttpServerResponse.redirect(authorizeUrl, { status: 302 })
    }))
  ),
  route(
    "GET",
    "/install/:provider/callback",
    guard(Effect.gen(function*() {
      const install = yield* Install
      const url = yield* requestUrl
      const outcome = yield* Effect.result(install.callback(yield* pathParam("provider"), url.searchParams))
      if (Result.isFailure(outcome)) {
        // A request awaiting someone else's approval is not an error for the person who made it.
        if (outcome.failure._tag === "InstallError" && outcome.failure.reason === "PendingApproval") {
          return pendingPage(outcome.failure.message)
        }
        return yield* outcome.failure
      }
      const result = outcome.success
      return Option.match(result.returnUrl, {
        onNone: () => installedPage(result.installation.displayName),
        onSome: (returnUrl) => {
          const target = new URL(returnUrl)
          target.searchParams.set("installation", result.installation.id)
          return HttpServerResponse.redirect(target.toString(), { status: 302 })
        }
      })
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
