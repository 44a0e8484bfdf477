/**
 * The Console, served by the kernel: `GET /` (the page) and `/console/<version>/<file>` (its
 * script modules and stylesheet, embedded strings, see `build.ts`, so it works on Workers too).
 * The version is in the path, so the modules' relative imports are versioned too and every
 * asset is cached for good; the page is revalidated each time. An older version's URL gets the
 * current file, uncached. The Console holds no secret of its own: it calls the management API
 * with the tenant API key the admin enters. The files are loaded on the first Console request
 * (`loadAssets`), not at start.
 */
import { Effect, Layer } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { errorJson } from "../kernel/http/Respond.ts"
import { route } from "../kernel/http/Route.ts"
import { type ConsoleAssets, loadAssets } from "./loadAssets.ts"
import { page } from "./page.ts"

const headers = {
  // No inline code, no third-party origin, not framable; no Referer (an install ticket in a URL stays here).
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer"
}

interface Loaded {
  readonly assets: ConsoleAssets
  readonly html: string
}

// Loaded once, on the first Console request; a failed load is retried by the next one.
let loading: Promise<Loaded> | undefined
const loaded = Effect.promise(() => {
  loading ??= loadAssets().then(
    (assets) => ({ assets, html: page(assets.version) }),
    (error: unknown) => {
      loading = undefined
      throw error
    }
  )
  return loading
})

const assetOf = (assets: ConsoleAssets, file: string): { readonly body: string; readonly contentType: string } | undefined =>
  file === "app.css"
    ? { body: assets.appCss, contentType: "text/css; charset=utf-8" }
    : Object.hasOwn(assets.scripts, file)
    ? { body: assets.scripts[file]!, contentType: "text/javascript; charset=utf-8" }
    : undefined

const asset = Effect.gen(function*() {
  const params = yield* HttpRouter.params
  const { assets } = yield* loaded
  const found = assetOf(assets, params["file"] ?? "")
  if (found === undefined) return errorJson(404, "NotFound", "No such Console file")
  return HttpServerResponse.text(found.body, {
    contentType: found.contentType,
    headers: {
      ...headers,
      "cache-control": params["version"] === assets.version ? "public, max-age=31536000, immutable" : "no-cache"
    }
  })
})

const index = Effect.map(loaded, ({ html }) =>
  HttpServerResponse.html(html).pipe(HttpServerResponse.setHeaders({ ...headers, "cache-control": "no-cache" })))

export const ConsoleRoutes = Layer.mergeAll(
  route<never>("GET", "/", index),
  route<never>("GET", "/console/:version/:file", asset)
)
