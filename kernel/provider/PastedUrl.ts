/**
 * A URL an admin pasted (a self-hosted or per-customer vendor site) is where Switchboard will
 * send the pasted credentials, so it is reduced to an origin this deployment allows: https on a
 * host matching the provider's allowlist (`*.atlassian.net` matches exactly one subdomain level),
 * no userinfo; plain http only on loopback, for local fakes. Never any server the paste names.
 *
 * A pattern matches the port too: `acme.atlassian.net` admits only the scheme's default port,
 * `127.0.0.1:9999` only port 9999. An allowance for a local fake must name its port, or a paste
 * could probe every port of the machine.
 *
 * `confine` holds the calls themselves to the allowlist: every request is checked again before
 * it is sent, and a redirect is never followed (it fails as `PastedUrlRefused`), since the pasted
 * host's answer could otherwise lead the server to any host and port it names.
 */
import { Data, Effect, Option } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"])

const matches = (host: string, pattern: string): boolean =>
  pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) && !host.slice(0, -pattern.length + 1).includes(".") : host === pattern

/** The pasted URL's origin (a missing scheme means https), if credentials may be sent there. */
export const allowedOrigin = (input: string, allowedHosts: ReadonlyArray<string>): Option.Option<string> => {
  const trimmed = input.trim()
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`
  if (!URL.canParse(candidate)) return Option.none()
  const url = new URL(candidate)
  if (url.username !== "" || url.password !== "") return Option.none()
  const secure = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname.toLowerCase()))
  // `host` carries the port unless it is the scheme's default, so a pattern without one admits only that.
  const host = url.host.toLowerCase()
  const allowed = allowedHosts.some((pattern) => matches(host, pattern.toLowerCase()))
  return secure && allowed ? Option.some(url.origin) : Option.none()
}

/** A call to a pasted origin that `confine` stopped: off the allowlist, or answered with a redirect. */
export class PastedUrlRefused extends Data.TaggedError("PastedUrlRefused")<{
  readonly reason: "NotAllowed" | "Redirect"
  /** The redirect's status; 0 for `NotAllowed` (nothing was sent). */
  readonly status: number
}> {}

// An opaque redirect (a fetch that hides the 3xx) reads as status 0.
const isRedirect = (status: number) => status === 0 || (status >= 300 && status < 400)

/**
 * `fetch` follows redirects itself unless told otherwise; `RequestInit` is how the fetch-based
 * client is told, per call, keeping whatever options the runtime set. A client that followed
 * redirects on its own would hand back only the last hop, which is why every runtime provides
 * the fetch-based client (runtimes/shared/dependencies.ts).
 */
const withoutFollowing = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.serviceOption(FetchHttpClient.RequestInit), (init) =>
    Effect.provideService(effect, FetchHttpClient.RequestInit, { ...Option.getOrElse(init, () => ({})), redirect: "manual" }))

/** The client, held to `allowedHosts` for every request it sends and refusing every redirect. */
export const confine = (allowedHosts: ReadonlyArray<string>) => <E, R>(client: HttpClient.HttpClient.With<E, R>) =>
  HttpClient.transform(client, (response, request) =>
    Option.isNone(allowedOrigin(request.url, allowedHosts))
      ? Effect.fail(new PastedUrlRefused({ reason: "NotAllowed", status: 0 }))
      : Effect.flatMap(withoutFollowing(response), (answer) =>
        isRedirect(answer.status) ? Effect.fail(new PastedUrlRefused({ reason: "Redirect", status: answer.status })) : Effect.succeed(answer)))
