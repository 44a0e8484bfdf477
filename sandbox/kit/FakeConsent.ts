/**
 * An OAuth consent screen in a fake vendor (RFC 6749 §4.1): `authorize` checks the client and
 * its redirect URI (an unknown client or an unregistered URI gets an error page, never a
 * redirect), then the vendor's own checks (scopes, audience, PKCE...), and shows a consent page
 * whose form posts to the approve step, or with auto-approval redirects straight back with a
 * code; `decide` is that approve step, also reachable by GET so scripts can follow it, and
 * `decision=deny` answers `error=access_denied`. `state` passes through untouched.
 */
import { escapeHtml, hiddenInputs, paramsOf, redirect } from "./FakeResponses.ts"
import type { Route } from "./FakeRouting.ts"

export type Refused = { readonly _tag: "Refused"; readonly response: Response }

export interface Trusted<Client> {
  readonly _tag: "Trusted"
  readonly client: Client
  readonly redirectUri: string
  readonly state: string | null
  /** An error told to the client by redirect: its redirect URI is trusted now. */
  readonly fail: (error: string, description: string) => Refused
}

/** Registered URIs when the app registered some, else any http(s) URL. */
export const redirectAllowed = (registered: ReadonlyArray<string> | null, uri: string): boolean =>
  registered !== null ? registered.includes(uri) : /^https?:\/\//.test(uri) && URL.canParse(uri)

export interface ClientCheck<Client> {
  /** The client a `client_id` names. */
  readonly client: (clientId: string | null) => Client | undefined
  /** Its registered redirect URIs; null accepts any http(s) URL. */
  readonly redirectUris: (client: Client) => ReadonlyArray<string> | null
  readonly errorPage: (message: string) => Response
  readonly unknownClient: string
  readonly unregisteredRedirect: string
}

/** The client and redirect URI of an authorize request, or the error page for them. */
export const trustRedirect = <Client>(params: URLSearchParams, check: ClientCheck<Client>): Refused | Trusted<Client> => {
  const client = check.client(params.get("client_id"))
  if (client === undefined) return { _tag: "Refused", response: check.errorPage(check.unknownClient) }
  const redirectUri = params.get("redirect_uri") ?? ""
  if (!redirectAllowed(check.redirectUris(client), redirectUri)) {
    return { _tag: "Refused", response: check.errorPage(check.unregisteredRedirect) }
  }
  const state = params.get("state")
  return {
    _tag: "Trusted",
    client,
    redirectUri,
    state,
    fail: (error, description) => ({ _tag: "Refused", response: redirect(redirectUri, { error, error_description: description, state }) })
  }
}

export type Consent<A> = Refused | { readonly _tag: "Ok"; readonly redirectUri: string; readonly state: string | null; readonly request: A }

export interface ConsentFlow<A> {
  /** The vendor's checks of an authorize request (start with `trustRedirect`). */
  readonly check: (params: URLSearchParams) => Consent<A>
  readonly autoApprove: () => boolean
  /** The consent page (use `consentForm` for its form). */
  readonly page: (request: A, params: URLSearchParams) => Response
  /** Issues a code for the request: the redirect back. */
  readonly approve: (request: A, redirectUri: string, state: string | null) => Response
  /** Fields the vendor adds to `error=access_denied` (an `error_description`). */
  readonly denied?: Readonly<Record<string, string>> | undefined
}

export interface ConsentEndpoints {
  readonly authorize: (request: Request) => Response
  readonly decide: (request: Request) => Promise<Response>
}

export const makeConsent = <A>(flow: ConsentFlow<A>): ConsentEndpoints => {
  const answer = (params: URLSearchParams, decide: (ok: Extract<Consent<A>, { readonly _tag: "Ok" }>) => Response) => {
    const checked = flow.check(params)
    return checked._tag === "Refused" ? checked.response : decide(checked)
  }
  return {
    authorize: (request: Request): Response => {
      const params = new URL(request.url).searchParams
      return answer(params, (ok) => flow.autoApprove() ? flow.approve(ok.request, ok.redirectUri, ok.state) : flow.page(ok.request, params))
    },
    decide: async (request: Request): Promise<Response> => {
      const params = await paramsOf(request)
      return answer(params, (ok) =>
        params.get("decision") === "deny"
          ? redirect(ok.redirectUri, { error: "access_denied", ...flow.denied, state: ok.state })
          : flow.approve(ok.request, ok.redirectUri, ok.state))
    }
  }
}

/** The consent form: the parameters as hidden fields, an approve and a deny button. */
export const consentForm = (options: {
  readonly action: string
  readonly params: URLSearchParams
  readonly approve: string
  readonly deny: string
  readonly approveValue?: string | undefined
}): string =>
  `<form method="post" action="${escapeHtml(options.action)}">${hiddenInputs(options.params)}` +
  `<button type="submit" name="decision" value="${escapeHtml(options.approveValue ?? "approve")}">${escapeHtml(options.approve)}</button> ` +
  `<button type="submit" name="decision" value="deny">${escapeHtml(options.deny)}</button></form>`

/** The consent screen's routes: the authorize page and its approve step (GET, so scripts can follow, and the form's POST). */
export const consentRoutes = (
  consent: ConsentEndpoints,
  paths: { readonly authorize: string; readonly approve: string }
): ReadonlyArray<Route> => [
  ["GET", paths.authorize, ({ request }) => consent.authorize(request)],
  ["GET", paths.approve, ({ request }) => consent.decide(request)],
  ["POST", paths.approve, ({ request }) => consent.decide(request)]
]
