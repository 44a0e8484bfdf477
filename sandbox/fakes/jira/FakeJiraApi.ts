/**
 * The fake's REST API v3, reached two ways as on Jira Cloud: through the gateway,
 * `/ex/jira/<cloud id>/rest/api/3/...` with an OAuth bearer token, or on the site itself,
 * `/rest/api/3/...` with Basic auth (e-mail and API token). Forced faults (`faults`) answer
 * before any work; every call is logged with its status.
 */
import { faultResponse, json, router } from "../../kit/FakeVendor.ts"
import { siteOf } from "./FakeJiraData.ts"
import type { FakeJiraState } from "./FakeJiraState.ts"
import { basicAccount, bearerAccount } from "./FakeJiraTokens.ts"
import * as Issues from "./FakeJiraIssues.ts"

export interface Caller {
  readonly accountId: string
  /** The site's URL, for `self` links. */
  readonly site: string
}

const routes = (state: FakeJiraState, caller: Caller) =>
  router([
    ["GET", "/rest/api/3/myself", () => Issues.myself(state, caller)],
    ["GET", "/rest/api/3/user/search", ({ url }) => Issues.searchUsers(state, caller, url)],
    ["POST", "/rest/api/3/search/jql", ({ request }) => Issues.search(state, caller, request)],
    ["POST", "/rest/api/3/issue", ({ request }) => Issues.create(state, caller, request)],
    ["GET", "/rest/api/3/issue/:key", ({ params, url }) => Issues.get(state, caller, params["key"] ?? "", url)],
    ["PUT", "/rest/api/3/issue/:key", ({ params, request }) => Issues.update(state, params["key"] ?? "", request)],
    ["PUT", "/rest/api/3/issue/:key/assignee", ({ params, request }) => Issues.assign(state, params["key"] ?? "", request)],
    ["GET", "/rest/api/3/issue/:key/transitions", ({ params }) => Issues.transitions(state, params["key"] ?? "")],
    ["POST", "/rest/api/3/issue/:key/transitions", ({ params, request }) => Issues.transition(state, params["key"] ?? "", request)],
    ["GET", "/rest/api/3/issue/:key/comment", ({ params }) => Issues.comments(state, caller, params["key"] ?? "")],
    ["POST", "/rest/api/3/issue/:key/comment", ({ params, request }) => Issues.comment(state, caller, params["key"] ?? "", request)]
  ], ({ request, url }) => json(404, { errorMessages: [`the fake Jira has no ${request.method} ${url.pathname}`] }))

const unauthorized = () => json(401, { code: 401, message: "Unauthorized; scope does not match" })

/** Handles `/ex/jira/...` and `/rest/api/3/...`; anything else is not the API's. */
export const api = async (state: FakeJiraState, request: Request): Promise<Response | undefined> => {
  const url = new URL(request.url)
  const gateway = /^\/ex\/jira\/([^/]+)(\/rest\/api\/3\/.*)$/.exec(url.pathname)
  if (gateway === null && !url.pathname.startsWith("/rest/api/3/")) return undefined
  const path = gateway?.[2] ?? url.pathname
  const auth = gateway === null ? "basic" : "bearer"
  const log = (response: Response) => {
    state.calls.push({ method: request.method, path, auth, status: response.status })
    return response
  }
  let accountId: string
  if (gateway !== null) {
    if (decodeURIComponent(gateway[1] ?? "") !== state.cloudId) return log(json(404, { errorMessages: ["Site not found"] }))
    const bearer = bearerAccount(state, request)
    if (bearer._tag === "Invalid") return log(unauthorized())
    accountId = bearer.accountId
  } else {
    const basic = basicAccount(state, request)
    if (basic === undefined) return log(json(401, { errorMessages: ["Client must be authenticated to access this resource."] }))
    accountId = basic.accountId
  }
  const fault = state.faults.take()
  if (fault !== undefined) return log(faultResponse(fault))
  return log(await routes(state, { accountId, site: siteOf(state, url.origin) })(request, path))
}
