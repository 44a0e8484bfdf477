/**
 * The fake-vendor kit: what a local fake of a vendor API (`sandbox/fakes/*`) is built from, so
 * that a fake holds only what is the vendor's own (its API shapes, as the vendor documents them).
 * A fake is a runtime-neutral web handler `(request: Request) => Promise<Response>` over
 * in-memory state, served by whatever the test runs on (`test/support/serve.ts` in Node).
 *
 * - `makeFakeVendor` (here): the handler: `/_fake/...` to the test controls, the rest to the
 *   vendor's routes, 404 otherwise;
 * - `FakeRouting.ts`: method + path patterns (`/rest/api/3/issue/:key`) to handlers;
 * - `FakeResponses.ts`: `json`, `html`, `redirect`, bodies read strictly or leniently;
 * - `FakeCredentials.ts`: bearer and Basic credentials, OAuth client credentials, random tokens;
 * - `FakeConsent.ts`: the OAuth consent screen (authorize, approve or deny);
 * - `FakeGrants.ts`: authorization codes (PKCE) and rotating token grants;
 * - `FakeFaults.ts`: switches that make the next calls fail (a vendor error, a rate limit);
 * - `FakeControls.ts`: test controls over HTTP.
 *
 * Test tooling only: fakes are unauthenticated where it does not matter and never deployed.
 */
import { json } from "./FakeResponses.ts"
import { pathOf, type Route, router, type RouteHandler } from "./FakeRouting.ts"

export * from "./FakeConsent.ts"
export * from "./FakeControls.ts"
export * from "./FakeCredentials.ts"
export * from "./FakeFaults.ts"
export * from "./FakeGrants.ts"
export * from "./FakeResponses.ts"
export * from "./FakeRouting.ts"

/** A fake: its web handler, and the controls in-process tests call. */
export interface Fake<Control> {
  readonly handler: (request: Request) => Promise<Response>
  readonly control: Control
}

export interface FakeVendorOptions {
  /** The vendor's name, for the 404 of a route the fake does not have. */
  readonly name: string
  /** The vendor's endpoints. */
  readonly routes: ReadonlyArray<Route>
  /** The 404 in the vendor's shape; default `{ error: "the fake <name> has no <method> <path>" }`. */
  readonly notFound?: RouteHandler | undefined
  /** The test controls, under `/_fake/`. */
  readonly controls?: ReadonlyArray<Route> | undefined
}

export const makeFakeVendor = (options: FakeVendorOptions): (request: Request) => Promise<Response> => {
  const api = router(options.routes, options.notFound ?? (({ path, request }) => json(404, { error: `the fake ${options.name} has no ${request.method} ${path}` })))
  const controls = router(options.controls ?? [], ({ path, request }) => json(404, { error: `no fake control at ${request.method} ${path}` }))
  return (request) => {
    const path = pathOf(request)
    return path.startsWith("/_fake/") ? controls(request, undefined, path) : api(request, undefined, path)
  }
}

/** How a fake is made: its state, its in-process controls, its routes and its HTTP controls. */
export interface FakeDefinition<Options, State, Control> {
  readonly name: string
  readonly makeState: (options?: Options) => State
  readonly makeControl: (state: State) => Control
  readonly routes: (state: State) => ReadonlyArray<Route>
  readonly notFound?: RouteHandler | undefined
  readonly controls?: ((control: Control) => ReadonlyArray<Route>) | undefined
}

/** A fake's constructor from its definition: fresh state per call, one handler over it. */
export const defineFake = <Options, State, Control>(definition: FakeDefinition<Options, State, Control>) =>
(options?: Options): Fake<Control> => {
  const state = definition.makeState(options)
  const control = definition.makeControl(state)
  const handler = makeFakeVendor({
    name: definition.name,
    routes: definition.routes(state),
    notFound: definition.notFound,
    controls: definition.controls?.(control)
  })
  return { handler, control }
}
