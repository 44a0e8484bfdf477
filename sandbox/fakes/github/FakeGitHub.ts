/**
 * A local fake of GitHub for tests and the dev sandbox: the web pages an admin meets (app
 * creation from a manifest, the install page), the App endpoints, and the REST endpoints the
 * GitHub tools use, as one runtime-neutral web handler `(request: Request) => Promise<Response>`
 * over in-memory state. One origin serves both sides: point GITHUB_API_URL and GITHUB_WEB_URL at
 * it. Controls are functions on `control` (`FakeGitHubControl.ts`); webhooks are signed like
 * GitHub's by `sign.ts` from payloads built by `payloads.ts`.
 *
 * | route | what |
 * |---|---|
 * | `POST /settings/apps/new`, `POST /organizations/<org>/settings/apps/new` | manifest → redirect with code |
 * | `GET /apps/<slug>/installations/new[/approve, /request]` | install page, install, request |
 * | `POST /login/oauth/access_token` | an installer's code → user token |
 * | `POST /app-manifests/<code>/conversions` | the new App's credentials |
 * | `GET /app`, `GET /app/installations/<id>`, `POST /app/installations/<id>/access_tokens` | app JWT |
 * | `DELETE /installation/token`, `GET /user/installations` | token revocation, installer check |
 * | `/repos/<owner>/<name>/...`, `GET /search/issues` | issues, comments, labels, pulls, reviews, contents, refs |
 */
import { withHeaders } from "../../kit/FakeResponses.ts"
import { pathOf, type RouteHandler, type RouteMatch, routeTable } from "../../kit/FakeRouting.ts"
import type { Fake } from "../../kit/FakeVendor.ts"
import * as Apps from "./FakeGitHubApps.ts"
import { type Caller, callerOf, describeCaller } from "./FakeGitHubAuth.ts"
import * as Contents from "./FakeGitHubContents.ts"
import { type FakeGitHubControl, makeControl } from "./FakeGitHubControl.ts"
import { failure } from "./FakeGitHubHttp.ts"
import * as Issues from "./FakeGitHubIssues.ts"
import { limitedAnswer, rateHeaders } from "./FakeGitHubLimits.ts"
import * as Pulls from "./FakeGitHubPulls.ts"
import { searchIssues } from "./FakeGitHubSearch.ts"
import { type FakeGitHubState, makeState } from "./FakeGitHubState.ts"
import * as Web from "./FakeGitHubWeb.ts"

export type { FakeGitHubControl } from "./FakeGitHubControl.ts"

export type FakeGitHub = Fake<FakeGitHubControl>

/** What a route handler works with: the state, and who calls (authenticated once a route matched). */
interface Call {
  readonly state: FakeGitHubState
  readonly caller: Caller
}

type Handle = (state: FakeGitHubState, caller: Caller, request: Request, params: RouteMatch["params"]) => Promise<Response> | Response

const open = (handle: Handle): RouteHandler<Call> => ({ params, request }, { caller, state }) => handle(state, caller, request, params)

/** REST calls that spend an installation's rate limit, and carry its `x-ratelimit-*` headers. */
const limited = (handle: Handle): RouteHandler<Call> => async ({ params, request }, { caller, state }) => {
  if (caller._tag !== "Installation") return handle(state, caller, request, params)
  return limitedAnswer(state, caller.installation.id) ?? withHeaders(await handle(state, caller, request, params), rateHeaders(state, 4999))
}

const repo = (params: RouteMatch["params"]) => ({ owner: params["owner"] ?? "", name: params["name"] ?? "" })
const numbered = (params: RouteMatch["params"]) => ({ ...repo(params), number: params["number"] ?? "" })

const find = routeTable<Call>([
  ["POST", "/settings/apps/new", open((state, _caller, request) => Web.newAppFromManifest(state, request, undefined))],
  ["POST", "/organizations/:org/settings/apps/new", open((state, _caller, request, params) => Web.newAppFromManifest(state, request, params["org"]))],
  ["GET", "/apps/:slug/installations/new", open((state, _caller, request, params) => Web.installPage(state, request, params["slug"] ?? "", "page"))],
  ["GET", "/apps/:slug/installations/new/:step", open((state, _caller, request, params) => Web.installPage(state, request, params["slug"] ?? "", params["step"] ?? ""))],
  ["POST", "/apps/:slug/installations/new/:step", open((state, _caller, request, params) => Web.installPage(state, request, params["slug"] ?? "", params["step"] ?? ""))],
  ["POST", "/login/oauth/access_token", open((state, _caller, request) => Web.userAccessToken(state, request))],
  ["POST", "/app-manifests/:code/conversions", open((state, _caller, _request, params) => Apps.convertManifest(state, params["code"] ?? ""))],
  ["GET", "/app", open((_state, caller) => Apps.getApp(caller))],
  ["GET", "/app/installations/:id", open((state, caller, _request, params) => Apps.getInstallation(state, caller, params["id"] ?? ""))],
  ["POST", "/app/installations/:id/access_tokens", open((state, caller, _request, params) => Apps.createAccessToken(state, caller, params["id"] ?? ""))],
  ["DELETE", "/installation/token", open((state, caller) => Apps.revokeToken(state, caller))],
  ["GET", "/user/installations", open((state, caller) => Apps.userInstallations(state, caller))],
  ["GET", "/search/issues", limited((state, caller, request) => searchIssues(state, caller, request))],
  ["GET", "/repos/:owner/:name", limited((state, caller, request, params) => Contents.getRepo(state, caller, request, repo(params)))],
  ["POST", "/repos/:owner/:name/issues", limited((state, caller, request, params) => Issues.createIssue(state, caller, request, repo(params)))],
  ["GET", "/repos/:owner/:name/issues/:number", limited((state, caller, request, params) => Issues.getIssue(state, caller, request, numbered(params)))],
  ["PATCH", "/repos/:owner/:name/issues/:number", limited((state, caller, request, params) => Issues.updateIssue(state, caller, request, numbered(params)))],
  ["GET", "/repos/:owner/:name/issues/:number/comments", limited((state, caller, request, params) => Issues.listComments(state, caller, request, numbered(params)))],
  ["POST", "/repos/:owner/:name/issues/:number/comments", limited((state, caller, request, params) => Issues.createComment(state, caller, request, numbered(params)))],
  ["POST", "/repos/:owner/:name/issues/:number/labels", limited((state, caller, request, params) => Issues.addLabels(state, caller, request, numbered(params)))],
  ["DELETE", "/repos/:owner/:name/issues/:number/labels/:label", limited((state, caller, request, params) =>
    Issues.removeLabel(state, caller, request, { ...numbered(params), label: params["label"] ?? "" }))],
  ["GET", "/repos/:owner/:name/pulls/:number", limited((state, caller, request, params) => Pulls.getPull(state, caller, request, numbered(params)))],
  ["GET", "/repos/:owner/:name/pulls/:number/files", limited((state, caller, request, params) => Pulls.listFiles(state, caller, request, numbered(params)))],
  ["POST", "/repos/:owner/:name/pulls", limited((state, caller, request, params) => Pulls.createPull(state, caller, request, repo(params)))],
  ["POST", "/repos/:owner/:name/pulls/:number/reviews", limited((state, caller, request, params) => Pulls.createReview(state, caller, request, numbered(params)))],
  ["GET", "/repos/:owner/:name/git/ref/heads/:branch*", limited((state, caller, request, params) =>
    Contents.getRef(state, caller, request, { ...repo(params), branch: params["branch"] ?? "" }))],
  ["POST", "/repos/:owner/:name/git/refs", limited((state, caller, request, params) => Contents.createRef(state, caller, request, repo(params)))],
  ["GET", "/repos/:owner/:name/contents/:path*", limited((state, caller, request, params) =>
    Contents.getContents(state, caller, request, { ...repo(params), path: params["path"] ?? "" }))],
  ["PUT", "/repos/:owner/:name/contents/:path*", limited((state, caller, request, params) =>
    Contents.putContents(state, caller, request, { ...repo(params), path: params["path"] ?? "" }))]
])

const answer = async (state: FakeGitHubState, request: Request, path: string): Promise<{ readonly response: Response; readonly caller: string }> => {
  const found = find(request.method, path)
  if (found === undefined) return { response: failure(404, `the fake GitHub has no ${request.method} ${path}`), caller: "none" }
  const caller = await callerOf(state, request)
  if (caller instanceof Response) return { response: caller, caller: "rejected" }
  const response = await found.handler({ request, url: new URL(request.url), path, params: found.params }, { state, caller })
  return { response, caller: describeCaller(caller) }
}

export const makeFakeGitHub = (options: { readonly now?: () => number } = {}): FakeGitHub => {
  const state = makeState(options)
  const control = makeControl(state)
  const handler = async (request: Request): Promise<Response> => {
    const path = pathOf(request)
    const { caller, response } = await answer(state, request, path)
    state.requests.push({ method: request.method, path, status: response.status, auth: caller, at: state.now() })
    return response
  }
  return { handler, control }
}
