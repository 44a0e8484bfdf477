/**
 * A local fake of Jira Cloud for tests and the dev sandbox: Atlassian's OAuth 2.0 (3LO)
 * endpoints and accessible-resources (`FakeJiraOAuth.ts`), the REST API v3 resources the provider
 * uses, through the gateway with a bearer token or on the site with Basic auth
 * (`FakeJiraApi.ts`), and test controls, as one runtime-neutral web handler over in-memory state.
 * Serve it with `test/support/serve.ts` (Node) or any runtime's `serve`, and point the provider
 * at it: JIRA_AUTH_URL and JIRA_API_URL = its URL; for credential paste the site URL is its URL
 * too (allow its host and port: JIRA_SITE_HOSTS=127.0.0.1:<port>). The site's URL (in `self` links and
 * accessible-resources) is the origin the fake is reached at, unless `siteUrl` says otherwise.
 *
 * | route | what |
 * |---|---|
 * | `GET /authorize`, `GET|POST /authorize/approve` | consent page (auto-approval skips it) |
 * | `POST /oauth/token` | code and rotating refresh grants (JSON) |
 * | `GET /oauth/token/accessible-resources` | the site the grant reaches |
 * | `/ex/jira/<cloud id>/rest/api/3/...`, `/rest/api/3/...` | myself, user/search, search/jql, issue (get, create, edit), assignee, transitions, comment |
 * | `GET /_fake/state` | site, client id, agent and human accounts, counts |
 * | `POST /_fake/issues` | seed an issue `{ project?, summary?, description?, assigneeId?, labels?, status? }` |
 * | `GET /_fake/comments?issue=`, `POST /_fake/comments` | comments (on one issue, or all); comment as someone `{ issue, text, authorId? }` |
 * | `POST /_fake/tokens/expire-all`, `POST /_fake/tokens/revoke-all` | every access token / every grant |
 * | `POST /_fake/rate-limit` `{ on, retryAfterSeconds? }`, `POST /_fake/fail-next` `{ status?, count? }` | forced failures |
 * | `POST /_fake/auto-approve` `{ on }` | |
 *
 * Test tooling: the controls are unauthenticated; never deploy it.
 */
import { consentRoutes } from "../../kit/FakeConsent.ts"
import { defineFake, type Fake } from "../../kit/FakeVendor.ts"
import { apiRoutes } from "./FakeJiraApi.ts"
import { type FakeJiraControl, makeControl } from "./FakeJiraControl.ts"
import { controlRoutes } from "./FakeJiraControlRoutes.ts"
import * as OAuth from "./FakeJiraOAuth.ts"
import * as State from "./FakeJiraState.ts"

export type { FakeJiraControl } from "./FakeJiraControl.ts"
export type { FakeJiraOptions } from "./FakeJiraState.ts"

export type FakeJira = Fake<FakeJiraControl>

export const makeFakeJira: (options?: State.FakeJiraOptions) => FakeJira = defineFake({
  name: "Jira",
  makeState: (options: State.FakeJiraOptions = {}) => State.makeState(options),
  makeControl,
  routes: (state) => [
    ...apiRoutes(state),
    ...consentRoutes(OAuth.consent(state), { authorize: "/authorize", approve: "/authorize/approve" }),
    ["POST", "/oauth/token", ({ request }) => OAuth.token(state, request)],
    ["GET", "/oauth/token/accessible-resources", ({ request }) => OAuth.accessibleResources(state, request)]
  ],
  controls: controlRoutes
})
