/**
 * A local fake of Linear for tests and the dev sandbox: its OAuth endpoints
 * (`FakeLinearOAuth.ts`), its GraphQL API (`FakeLinearGraphQL.ts`) and test controls, as one
 * runtime-neutral web handler `(request: Request) => Promise<Response>` over in-memory state.
 * Serve it with `test/support/serve.ts` (Node) or any runtime's `serve`, and point the
 * provider at it with LINEAR_API_URL and LINEAR_OAUTH_URL set to its URL.
 *
 * Controls exist twice: as functions on `control` for in-process tests, and under `/_fake/...`
 * for out-of-process ones. They are unauthenticated: this is test tooling, never deploy it.
 *
 * | route | what |
 * |---|---|
 * | `POST /_fake/issues` | seed an issue `{ title?, description?, teamId?, labels?, ... }`, answers it |
 * | `GET /_fake/comments?issueId=` | comments posted (on one issue, or all) |
 * | `POST /_fake/agent-sessions` | open an agent session `{ id?, issueId? }` as a mention would |
 * | `GET /_fake/activities?agentSessionId=` | agent activities posted (in one session, or all) |
 * | `POST /_fake/tokens` | mint a token set `{ scopes?, expiresInSeconds? }` without the OAuth dance |
 * | `POST /_fake/tokens/revoke`, `POST /_fake/tokens/expire` | `{ token }` |
 * | `POST /_fake/tokens/revoke-all`, `POST /_fake/tokens/expire-all` | every grant / access token |
 * | `POST /_fake/rate-limit` | `{ on, retryAfterSeconds?, resetInSeconds?, status?, budget? }` |
 * | `POST /_fake/auto-approve` | `{ on }` |
 * | `GET /_fake/state` | organization, app user, client id, counts |
 */
import { consentRoutes } from "../../kit/FakeConsent.ts"
import { defineFake, type Fake } from "../../kit/FakeVendor.ts"
import { type FakeLinearControl, makeControl } from "./FakeLinearControl.ts"
import { controlRoutes } from "./FakeLinearControlRoutes.ts"
import * as FakeLinearGraphQL from "./FakeLinearGraphQL.ts"
import * as FakeLinearOAuth from "./FakeLinearOAuth.ts"
import * as State from "./FakeLinearState.ts"

export type { FakeLinearControl } from "./FakeLinearControl.ts"
export type { SeedIssue } from "./FakeLinearData.ts"

export type FakeLinear = Fake<FakeLinearControl>

export const makeFakeLinear: (options?: State.FakeLinearOptions) => FakeLinear = defineFake({
  name: "Linear",
  makeState: (options: State.FakeLinearOptions = {}) => State.makeState(options),
  makeControl,
  routes: (state) => [
    ...consentRoutes(FakeLinearOAuth.consent(state), { authorize: "/oauth/authorize", approve: "/oauth/authorize/approve" }),
    ["POST", "/oauth/token", ({ request }) => FakeLinearOAuth.token(state, request)],
    ["POST", "/oauth/revoke", ({ request }) => FakeLinearOAuth.revoke(state, request)],
    ["POST", "/graphql", ({ request }) => FakeLinearGraphQL.graphql(state, request)]
  ],
  controls: controlRoutes
})
