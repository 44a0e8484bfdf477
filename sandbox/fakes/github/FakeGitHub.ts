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

export interface FakeGitHub {
  readonly handler: (request: Request) => Promise<Response>
  readonly control: FakeGitHubControl
}

type Params = Readonly<Record<string, string>>
type Handle = (state: FakeGitHubState, caller: Caller, request: Request, params: Params) => Promise<Response> | Response

interface Route {
  readonly method: string
  readonly pattern: RegExp
  readonly names: ReadonlyArray<string>
  readonly handle: Handle
  /** REST calls that spend an installation's rate limit. */
  readonly limited: boolean
}

const route = (method: string, path: string, handle: Handle, limited = false): Route => {
  const names: Array<string> = []
  const source = path.replace(/:(\w+)(\*)?/g, (_match, name: string, rest?: string) => {
    names.push(name)
    return rest === undefined ? "([^/]+)" : "(.+)"
  })
  return { method, pattern: new RegExp(`^${source}$`), names, handle, limited }
}

const repo = (params: Params) => ({ owner: params["owner"] ?? "", name: params["name"] ?? "" })
const numbered = (params: Params) => ({ ...repo(params), number: params["number"] ?? "" })

const ROUTES: ReadonlyArray<Route> = [
  route("POST", "/settings/apps/new", (state, _caller, request) => Web.newAppFromManifest(state, request, undefined)),
  route("POST", "/organizations/:org/settings/apps/new", (state, _caller, request, params) => Web.newAppFromManifest(state, request, params["org"])),
  route("GET", "/apps/:slug/installations/new", (state, _caller, request, params) => Web.installPage(state, request, params["slug"] ?? "", "page")),
  route("GET", "/apps/:slug/installations/new/:step", (state, _caller, request, params) => Web.installPage(state, request, params["slug"] ?? "", params["step"] ?? "")),
  route("POST", "/apps/:slug/installations/new/:step", (state, _caller, request, params) => Web.installPage(state, request, params["slug"] ?? "", params["step"] ?? "")),
  route("POST", "/login/oauth/access_token", (state, _caller, request) => Web.userAccessToken(state, request)),
  route("POST", "/app-manifests/:code/conversions", (state, _caller, _request, params) => Apps.convertManifest(state, params["code"] ?? "")),
  route("GET", "/app", (_state, caller) => Apps.getApp(caller)),
  route("GET", "/app/installations/:id", (state, caller, _request, params) => Apps.getInstallation(state, caller, params["id"] ?? "")),
  route("POST", "/app/installations/:id/access_tokens", (state, caller, _request, params) => Apps.createAccessToken(state, caller, params["id"] ?? "")),
  route("DELETE", "/installation/token", (state, caller) => Apps.revokeToken(state, caller)),
  route("GET", "/user/installations", (state, caller) => Apps.userInstallations(state, caller)),
  route("GET", "/search/issues", (state, caller, request) => searchIssues(state, caller, request), true),
  route("GET", "/repos/:owner/:name", (state, caller, request, params) => Contents.getRepo(state, caller, request, repo(params)), true),
  route("POST", "/repos/:owner/:name/issues", (state, caller, request, params) => Issues.createIssue(state, caller, request, repo(params)), true),
  route("GET", "/repos/:owner/:name/issues/:number", (state, caller, request, params) => Issues.getIssue(state, caller, request, numbered(params)), true),
  route("PATCH", "/repos/:owner/:name/issues/:number", (state, caller, request, params) => Issues.updateIssue(state, caller, request, numbered(params)), true),
  route("GET", "/repos/:owner/:name/issues/:number/comments", (state, caller, request, params) => Issues.listComments(state, caller, request, numbered(params)), true),
  route("POST", "/repos/:owner/:name/issues/:number/comments", (state, caller, request, params) => Issues.createComment(state, caller, request, numbered(params)), true),
  route("POST", "/repos/:owner/:name/issues/:number/labels", (state, caller, request, params) => Issues.addLabels(state, caller, request, numbered(params)), true),
  route("DELETE", "/repos/:owner/:name/issues/:number/labels/:label", (state, caller, request, params) =>
    Issues.removeLabel(state, caller, request, { ...numbered(params), label: decodeURIComponent(params["label"] ?? "") }), true),
  route("GET", "/repos/:owner/:name/pulls/:number", (state, caller, request, params) => Pulls.getPull(state, caller, request, numbered(params)), true),
  route("GET", "/repos/:owner/:name/pulls/:number/files", (state, caller, request, params) => Pulls.listFiles(state, caller, request, numbered(params)), true),
  route("POST", "/repos/:owner/:name/pulls", (state, caller, request, params) => Pulls.createPull(state, caller, request, repo(params)), true),
  route("POST", "/repos/:owner/:name/pulls/:number/reviews", (state, caller, request, params) => Pulls.createReview(state, caller, request, numbered(params)), true),
  route("GET", "/repos/:owner/:name/git/ref/heads/:branch*", (state, caller, request, params) =>
    Contents.getRef(state, caller, request, { ...repo(params), branch: decodeURIComponent(params["branch"] ?? "") }), true),
  route("POST", "/repos/:owner/:name/git/refs", (state, caller, request, params) => Contents.createRef(state, caller, request, repo(params)), true),
  route("GET", "/repos/:owner/:name/contents/:path*", (state, caller, request, params) =>
    Contents.getContents(state, caller, request, { ...repo(params), path: decodeURIComponent(params["path"] ?? "") }), true),
  route("PUT", "/repos/:owner/:name/contents/:path*", (state, caller, request, params) =>
    Contents.putContents(state, caller, request, { ...repo(params), path: decodeURIComponent(params["path"] ?? "") }), true)
]

const withHeaders = (response: Response, headers: Record<string, string>) => {
  const merged = new Headers(response.headers)
  for (const [name, value] of Object.entries(headers)) if (!merged.has(name)) merged.set(name, value)
  return new Response(response.body, { status: response.status, headers: merged })
}

const answer = async (state: FakeGitHubState, request: Request, path: string): Promise<{ readonly response: Response; readonly caller: string }> => {
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(path)
    if (match === null || candidate.method !== request.method) continue
    const params = Object.fromEntries(candidate.names.map((name, index) => [name, match[index + 1] ?? ""]))
    const caller = await callerOf(state, request)
    if (caller instanceof Response) return { response: caller, caller: "rejected" }
    const who = describeCaller(caller)
    if (candidate.limited && caller._tag === "Installation") {
      const limited = limitedAnswer(state, caller.installation.id)
      if (limited !== undefined) return { response: limited, caller: who }
      return { response: withHeaders(await candidate.handle(state, caller, request, params), rateHeaders(state, 4999)), caller: who }
    }
    return { response: await candidate.handle(state, caller, request, params), caller: who }
  }
  return { response: failure(404, `the fake GitHub has no ${request.method} ${path}`), caller: "none" }
}

export const makeFakeGitHub = (options: { readonly now?: () => number } = {}): FakeGitHub => {
  const state = makeState(options)
  const control = makeControl(state)
  const handler = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname.replace(/\/+$/, "") || "/"
    const { caller, response } = await answer(state, request, path)
    state.requests.push({ method: request.method, path, status: response.status, auth: caller, at: state.now() })
    return response
  }
  return { handler, control }
}
