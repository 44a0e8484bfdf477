/**
 * The small HTML pages of the routes a browser opens (`/install/*` and their OAuth callbacks),
 * and `guardPage`: their errors as a page a person can act on (what went wrong, what to do, a
 * link back to the Console) when the request asks for HTML, which browsers do on navigation.
 * Scripts and API clients (no `text/html` in Accept) keep the JSON every other route answers,
 * with the same status codes. The pages load nothing and run no script: the default CSP of
 * SecurityHeaders.ts suits them.
 */
import { Cause, Effect } from "effect"
import { HttpServerRequest, HttpServerResponse } from "effect/http"
import { errorResponse, guard, type KnownError } from "./Respond.ts"

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)

/** A page with a title, trusted body HTML, and the way back to the Console (served at `/`). */
export const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
${body}
<p><a id="console" href="/">Open the Console</a></p></body></html>`

interface Advice {
  readonly title: string
  readonly next: string
}

const START_AGAIN = "Nothing was connected. Start the install again from the Console's Integrations."

/** What a person reads for each refusal: a title, and what to do next. */
const adviceFor = (error: KnownError): Advice => {
  switch (error._tag) {
    case "InstallError":
      switch (error.reason) {
        case "NotConfigured":
          return { title: "This integration is not set up here", next: "An operator of this Switchboard deployment must set the settings named above; the Console's Integrations lists them." }
        case "UnknownProvider":
          return { title: "No such integration", next: "The link names an integration this deployment does not have. Pick one from the Console's Integrations." }
        case "ReturnUrlNotAllowed":
          return { title: "This install cannot return where it was asked to", next: "Start the install from the Console, or ask the operator to allow that address." }
        case "VendorRejected":
        case "VendorUnavailable":
          return { title: "The vendor did not complete the install", next: `${START_AGAIN} If it keeps failing, the vendor may be down or the app's settings wrong.` }
        case "InvalidCredentials":
          return { title: "The vendor refused these credentials", next: "Check them, then try again from the Console." }
        case "GrantRevoked":
          return { title: "Access was revoked at the vendor", next: START_AGAIN }
        case "BrowserMismatch":
          return { title: "This install belongs to another browser", next: `${START_AGAIN} Use the browser you will approve it in.` }
        case "InvalidState":
        case "ExpiredState":
          return { title: "This install link cannot be used", next: `${START_AGAIN} Install links work once, for 10 minutes.` }
        case "NotSupported":
          return { title: "This integration does not install this way", next: "Use the install button the Console shows for it." }
        case "PendingApproval":
          return { title: "Waiting for approval", next: "Someone with the rights to approve it must do so at the vendor." }
      }
      break
    case "ApiError":
      return error.reason === "Unauthorized"
        ? { title: "Open this from the Console", next: "Install links carry a short-lived ticket from the Console; this one is missing, used or expired. Press Install in the Console again." }
        : { title: "This request cannot be completed", next: "Go back to the Console and try again." }
    case "LimitExceeded":
      return { title: "Too many attempts", next: `Wait ${error.retryAfterSeconds} seconds, then try again from the Console.` }
    case "StoreError":
    case "VaultError":
      return { title: "Switchboard is busy", next: "Try again in a moment; if it persists, tell the operator of this deployment." }
  }
  return { title: "This request cannot be completed", next: "Go back to the Console and try again." }
}

/** Storage and vault messages are internal; the page says only what the JSON says. */
const messageOf = (error: KnownError) =>
  error._tag === "StoreError" ? "Storage is busy or unavailable." : error._tag === "VaultError" ? "Stored credentials could not be opened." : error.message

/** The page for an error: the JSON answer's status and headers (Retry-After), HTML instead of JSON. */
export const errorPage = (error: KnownError): HttpServerResponse.HttpServerResponse => {
  const { status, headers } = errorResponse(error)
  const advice = adviceFor(error)
  const message = messageOf(error).replace(/[.\s]+$/, "")
  const html = page(
    advice.title,
    `<h1>${escapeHtml(advice.title)}</h1>\n<p id="message">${escapeHtml(message)}.</p>\n<p>${escapeHtml(advice.next)}</p>`
  )
  const retryAfter = headers["retry-after"]
  const response = HttpServerResponse.setStatus(HttpServerResponse.html(html), status)
  return retryAfter === undefined ? response : HttpServerResponse.setHeader(response, "retry-after", retryAfter)
}

const unexpectedPage = (status: number) =>
  HttpServerResponse.setStatus(
    HttpServerResponse.html(page("Something went wrong", `<h1>Something went wrong</h1>\n<p>Switchboard could not finish this. Try again from the Console.</p>`)),
    status
  )

const acceptsHtml = Effect.map(HttpServerRequest.HttpServerRequest, (request) => (request.headers["accept"] ?? "").includes("text/html"))

/** `guard` for a route a browser opens: a page for a browser, the JSON answer for everyone else. */
export const guardPage = <R>(
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, KnownError, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(acceptsHtml, (html) =>
    html
      ? handler.pipe(
        Effect.catch((error) => {
          const response = errorPage(error)
          return response.status >= 500
            ? Effect.as(Effect.logWarning("request failed", error._tag, error.message), response)
            : Effect.succeed(response)
        }),
        Effect.catchCause((cause) =>
          Cause.hasInterruptsOnly(cause)
            ? Effect.succeed(unexpectedPage(503))
            : Effect.as(Effect.logError("unexpected failure", cause), unexpectedPage(500))
        )
      )
      : guard(handler))
