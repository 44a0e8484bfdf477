/**
 * The Console, served by the kernel: `GET /` (the page) and `/console/<version>/<file>` (its
 * script modules and stylesheet, embedded strings, see `build.ts`, so it works on Workers too).
 * The version is in the path, so the modules' relative imports are versioned too and every
 * asset is cached for good; the page is revalidated each time. An older version's URL gets the
 * current file, uncached. The Console holds no secret of its own: it calls the management API
 * with the tenant API key the admin enters.
 */
import { Effect, Layer } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { errorJson } from "../kernel/http/Respond.ts"
import { route } from "../kernel/http/Route.ts"
import { appCss, scripts, version } from "./assets.ts"
import { page } from "./page.ts"

const headers = {
  // No inline code, no third-party origin, not framable; no Referer (an install ticket in a URL stays here).
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer"
}

const html = page(version)

const assetOf = (file: string): { readonly body: string; readonly contentType: string } | undefined =>
  file === "app.css"
    ? { body: appCss, contentType: "text/css; charset=utf-8" }
    : Object.hasOwn(scripts, file)
    ? { body: scripts[file]!, contentType: "text/javascript; charset=utf-8" }
    : undefined

const asset = Effect.gen(function*() {
  const params = yield* HttpRouter.params
  const found = assetOf(params["file"] ?? "")
  if (found === undefined) return errorJson(404, "NotFound", "No such Console file")
  return HttpServerResponse.text(found.body, {
    contentType: found.contentType,
    headers: {
      ...headers,
      "cache-control": params["version"] === version ? "public, max-age=31536000, immutable" : "no-cache"
    }
  })
})

export const ConsoleRoutes = Layer.mergeAll(
  route<never>("GET", "/", Effect.succeed(HttpServerResponse.html(html).pipe(HttpServerResponse.setHeaders({ ...headers, "cache-control": "no-cache" })))),
  route<never>("GET", "/console/:version/:file", asset)
)
