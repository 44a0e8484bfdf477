/**
 * The Console, served by the kernel: `GET /` (the page), `/console/app.js` and `/console/app.css`
 * (embedded strings, see `build.ts`, so it works on Workers too). The Console holds no secret of
 * its own: it calls the management API with the tenant API key the admin enters. Versioned
 * asset URLs are cached for good; the page is revalidated each time.
 */
import { Effect, Layer } from "effect"
import { HttpServerResponse } from "effect/http"
import { requestUrl } from "../kernel/http/Requests.ts"
import { route } from "../kernel/http/Route.ts"
import { appCss, appJs, version } from "./assets.ts"
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

const asset = (body: string, contentType: string) =>
  Effect.map(requestUrl, (url) =>
    HttpServerResponse.text(body, {
      contentType,
      headers: {
        ...headers,
        "cache-control": url.searchParams.get("v") === version ? "public, max-age=31536000, immutable" : "no-cache"
      }
    }))

export const ConsoleRoutes = Layer.mergeAll(
  route<never>("GET", "/", Effect.succeed(HttpServerResponse.html(html).pipe(HttpServerResponse.setHeaders({ ...headers, "cache-control": "no-cache" })))),
  route<never>("GET", "/console/app.js", asset(appJs, "text/javascript; charset=utf-8")),
  route<never>("GET", "/console/app.css", asset(appCss, "text/css; charset=utf-8"))
)
