/**
 * A fake's test controls over HTTP, under `/_fake/...`, for out-of-process tests and the dev
 * sandbox: routes like the API's, JSON bodies decoded with a Schema (a bad one is a 400), and
 * the controls every OAuth fake has (expire or revoke every token, auto-approve the consent).
 * Unauthenticated: test tooling only.
 */
import { Option, Schema } from "effect"
import { json, readJsonBody } from "./FakeResponses.ts"
import type { Route, RouteHandler, RouteMatch } from "./FakeRouting.ts"

/** A control whose JSON body is decoded with `schema`; an empty body reads as `{}`. */
export const withBody = <A>(schema: Schema.Codec<A, unknown>, handle: (body: A, match: RouteMatch) => Response): RouteHandler =>
async (match) =>
  Option.match(await readJsonBody(match.request, schema), {
    onNone: () => json(400, { error: `invalid body for ${match.request.method} ${match.path}` }),
    onSome: (body) => handle(body, match)
  })

/** A query parameter of a control call, if given. */
export const queryOf = (match: RouteMatch, name: string): string | undefined => match.url.searchParams.get(name) ?? undefined

const SwitchBody = Schema.Struct({ on: Schema.Boolean })

export interface TokenControls {
  /** Answers how many access tokens it expired. */
  readonly expireAll: () => number
  /** Answers how many grants it ended. */
  readonly revokeAll: () => number
  readonly setAutoApprove: (on: boolean) => void
}

/** `POST /_fake/tokens/expire-all`, `POST /_fake/tokens/revoke-all` and `POST /_fake/auto-approve` `{ on }`. */
export const tokenControls = (control: TokenControls): ReadonlyArray<Route> => [
  ["POST", "/_fake/tokens/expire-all", () => json(200, { expired: control.expireAll() })],
  ["POST", "/_fake/tokens/revoke-all", () => json(200, { revoked: control.revokeAll() })],
  ["POST", "/_fake/auto-approve", withBody(SwitchBody, ({ on }) => {
    control.setAutoApprove(on)
    return json(200, { on })
  })]
]
