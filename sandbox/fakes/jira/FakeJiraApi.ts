/**
 * The fake's REST API v3, reached two ways as on Jira Cloud: through the gateway,
 * `/ex/jira/<cloud id>/rest/api/3/...` with an OAuth bearer token, or on the site itself,
 * `/rest/api/3/...` with Basic auth (e-mail and API token). Forced faults (`faults`) answer
 * before any work; every call is logged with its status.
 */
import { faultResponse } from "../../kit/FakeFaults.ts"
import { json } from "../../kit/FakeResponses.ts"
import { type Route, type RouteMatch, router } from "../../kit/FakeRouting.ts"
import { siteOf } from "./FakeJiraData.ts"
import type { FakeJiraState } from "./FakeJiraState.ts"
import { basicAccount, bearerAccount } from "./FakeJiraTokens.ts"
import * as Issues from "./FakeJiraIssues.ts"

export interface Caller {
  readonly state: FakeJiraState
  readonly accountId: string
  /** The site's URL, for `self` links. */
  readonly site: string
}

const key = (match: RouteMatch) => match.params["key"] ?? ""

const resources = router<Caller>([
  ["GET", "/rest/api/3/myself", (_match, caller) => Issues.myself(caller.state, caller)],
  ["GET", "/rest/api/3/user/search", ({ url }, caller) => Issues.searchUsers(caller.state, caller, url)],
  ["POST", "/rest/api/3/search/jql", ({ request }, caller) => Issues.search(caller.state, caller, request)],
  ["POST", "/rest/api/3/issue", ({ request }, caller) => Issues.create(caller.state, caller, request)],
  ["GET", "/rest/api/3/issue/:key", (match, caller) => Issues.get(caller.state, caller, key(match), match.url)],
  ["PUT", "/rest/api/3/issue/:key", (match, caller) => Issues.update(caller.state, key(match), match.request)],
  ["PUT", "/rest/api/3/issue/:key/assignee", (match, caller) => Issues.assign(caller.state, key(match), match.request)],
  ["GET", "/rest/api/3/issue/:key/transitions", (match, caller) => Issues.transitions(caller.state, key(match))],
  ["POST", "/rest/api/3/issue/:key/transitions", (match, caller) => Issues.transition(caller.state, key(match), match.request)],
  ["GET", "/rest/api/3/issue/:key/comment", (match, caller) => Issues.comments(caller.state, caller, key(match))],
  ["POST", "/rest/api/3/issue/:key/comment", (match, caller) => Issues.comment(caller.state, caller, key(match), match.request)]
], ({ request, url }) => json(404, { errorMessages: [`the fake Jira has no ${request.method} ${url.pathname}`] }))

const unauthorized = () => json(401, { code: 401, message: "Unauthorized; scope does not match" })

type Account = { readonly accountId: string } | Response

const call = async (state: FakeJiraState, match: RouteMatch, auth: "bearer" | "basic", account: () => Account): Promise<Response> => {
  // The REST path without the gateway's `/ex/jira/<cloud id>` prefix, as sent.
  const path = match.path.slice(match.path.indexOf("/rest/api/3/"))
  const answer = async () => {
    const who = account()
    if (who instanceof Response) return who
    const fault = state.faults.take()
    if (fault !== undefined) return faultResponse(fault)
    return resources(match.request, { state, accountId: who.accountId, site: siteOf(state, match.url.origin) }, path)
  }
  const response = await answer()
  state.calls.push({ method: match.request.method, path, auth, status: response.status })
  return response
}

/** `/ex/jira/<cloud id>/rest/api/3/...` (bearer) and `/rest/api/3/...` (Basic), any method. */
export const apiRoutes = (state: FakeJiraState): ReadonlyArray<Route> => [
  ["*", "/ex/jira/:cloudId/rest/api/3/:rest*", (match) =>
    call(state, match, "bearer", () => {
      if (match.params["cloudId"] !== state.cloudId) return json(404, { errorMessages: ["Site not found"] })
      const bearer = bearerAccount(state, match.request)
      return bearer._tag === "Invalid" ? unauthorized() : bearer
    })],
  ["*", "/rest/api/3/:rest*", (match) =>
    call(state, match, "basic", () =>
      basicAccount(state, match.request) ?? json(401, { errorMessages: ["Client must be authenticated to access this resource."] }))]
]
