/** Templates: the provider's settings, its API client with error mapping, and its credential paste. */
import type { Names } from "./Names.ts"

export const config = (n: Names) => `/**
 * The ${n.name} provider's settings, read once from Effect Config when the provider is built.
 *
 * | env | meaning |
 * |---|---|
 * | ${n.env}_WEBHOOK_SECRET | the webhook signing secret; a comma-separated list during a rotation (Redacted) |
 * | ${n.env}_API_URL | the API's origin (default https://api.${n.id}.example: set your vendor's) |
 *
 * Missing settings are not a ConfigError: the provider is still listed, and webhooks fail with
 * \`NotConfigured\` until the secret is set.
 */
import { Config, Effect, Option, Redacted } from "effect"

export interface ${n.pascal}Settings {
  /** Every secret a signature may be made with; empty when webhooks are not configured. */
  readonly webhookSecrets: ReadonlyArray<Redacted.Redacted<string>>
  /** No trailing slash, so paths can be appended. */
  readonly apiUrl: string
}

const raw = Config.all({
  webhookSecret: Config.option(Config.Redacted("${n.env}_WEBHOOK_SECRET")),
  apiUrl: Config.URL("${n.env}_API_URL").pipe(Config.withDefault(new URL("https://api.${n.id}.example")))
})

export const load: Effect.Effect<${n.pascal}Settings, Config.ConfigError> = Effect.map(raw, (values) => ({
  webhookSecrets: Option.match(values.webhookSecret, {
    onNone: () => [],
    onSome: (secret) => Redacted.value(secret).split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0).map((entry) => Redacted.make(entry))
  }),
  apiUrl: values.apiUrl.href.replace(/\\/+$/, "")
}))
`

export const client = (n: Names) => `/**
 * A small client for the ${n.name} API over the Effect \`HttpClient\`: bearer token per call, the
 * answer decoded with a Schema, every failure a \`ToolError\` (401 Unauthorized, which makes the
 * kernel refresh and retry once; 403 Forbidden; 404 NotFound; 429 RateLimited with Retry-After;
 * other 4xx InvalidInput; 5xx VendorError). It does not retry.
 */
import { Duration, Effect, Option, type Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { ToolError } from "../../kernel/domain/Errors.ts"

export interface ${n.pascal}Request {
  readonly method: "GET" | "POST"
  /** \`/api/...\` */
  readonly path: string
  readonly body?: Schema.Json | undefined
  /** What the call does, for messages: "get item 42". */
  readonly what: string
}

export interface ${n.pascal}Client {
  readonly request: <A>(
    token: Redacted.Redacted<string>,
    request: ${n.pascal}Request,
    schema: Schema.Codec<A, unknown>
  ) => Effect.Effect<A, ToolError, HttpClient.HttpClient>
}

const ErrorBody = Schema.Struct({ error: Schema.Struct({ message: Schema.String }) })

const retryAfter = (value: string | undefined): number => {
  const seconds = Number(value ?? "")
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 60
}

export const toToolError = (status: number, headers: Readonly<Record<string, string | undefined>>, body: string, what: string): ToolError => {
  const detail = Option.match(Schema.decodeUnknownOption(Schema.fromJsonString(ErrorBody))(body), {
    onNone: () => "HTTP " + status,
    onSome: (decoded) => decoded.error.message
  })
  if (status === 429) {
    const wait = retryAfter(headers["retry-after"])
    return new ToolError({ reason: "RateLimited", message: "${n.name} rate limit reached (" + what + "); retry in " + wait + "s", retryAfterSeconds: wait })
  }
  if (status === 401) return new ToolError({ reason: "Unauthorized", message: "${n.name} rejected the token (" + what + "): " + detail })
  if (status === 403) return new ToolError({ reason: "Forbidden", message: "${n.name} refused to " + what + ": " + detail })
  if (status === 404) return new ToolError({ reason: "NotFound", message: "${n.name} could not find it (" + what + "): " + detail })
  if (status < 500) return new ToolError({ reason: "InvalidInput", message: "${n.name} rejected the input (" + what + "): " + detail })
  return new ToolError({ reason: "VendorError", message: "${n.name} failed (" + what + ", HTTP " + status + "); try again later" })
}

const vendorError = (message: string) => new ToolError({ reason: "VendorError", message })

export const make = (apiUrl: string): ${n.pascal}Client => ({
  request: Effect.fnUntraced(function*<A>(token: Redacted.Redacted<string>, spec: ${n.pascal}Request, schema: Schema.Codec<A, unknown>) {
    const base = (spec.method === "GET" ? HttpClientRequest.get : HttpClientRequest.post)(apiUrl + spec.path).pipe(
      HttpClientRequest.bearerToken(token),
      HttpClientRequest.acceptJson
    )
    const prepared = spec.body === undefined ? base : HttpClientRequest.bodyJsonUnsafe(base, spec.body)
    const response = yield* HttpClient.execute(prepared).pipe(
      Effect.timeoutOrElse({ duration: Duration.seconds(30), orElse: () => Effect.fail(vendorError("${n.name} did not answer within 30s (" + spec.what + ")")) }),
      Effect.catchTag("HttpClientError", (error) => Effect.fail(vendorError("Could not reach ${n.name} to " + spec.what + ": " + error.message)))
    )
    const text = yield* response.text.pipe(Effect.mapError((error) => vendorError("Could not read ${n.name}'s answer: " + error.message)))
    if (response.status < 200 || response.status >= 300) return yield* toToolError(response.status, response.headers, text, spec.what)
    return yield* Schema.decodeUnknownEffect(Schema.fromJsonString(schema))(text).pipe(
      Effect.mapError((error) => vendorError("${n.name}'s answer has an unexpected shape (" + spec.what + "): " + error.message))
    )
  })
})
`

export const credentials = (n: Names) => `/**
 * Installing ${n.name} by credential paste: an API token of the account the agent acts as,
 * checked with \`GET /api/me\` before anything is stored. The workspace it belongs to is the
 * installation's external account (what webhooks name); the account id is kept in metadata, to
 * recognise assignments to the agent and to ignore its own events.
 *
 * For an OAuth install instead, see providers/jira/JiraOAuth.ts and docs/writing-a-provider.md.
 */
import { Clock, Effect, Redacted, Schema } from "effect"
import { tokenSet } from "../../kernel/domain/Credentials.ts"
import { InstallError } from "../../kernel/domain/Errors.ts"
import type { CredentialsInstall } from "../../kernel/provider/Install.ts"
import type { ${n.pascal}Client } from "./${n.pascal}Client.ts"

export const Me = Schema.Struct({
  user: Schema.Struct({ id: Schema.String, name: Schema.String }),
  workspace: Schema.Struct({ id: Schema.String, name: Schema.String })
})

export const make = (client: ${n.pascal}Client): CredentialsInstall => ({
  _tag: "Credentials",
  fields: [{ name: "apiToken", label: "API token", secret: true, description: "An API token of the ${n.name} account the agent acts as" }],
  validate: Effect.fnUntraced(function*(fields) {
    const token = fields["apiToken"] ?? Redacted.make("")
    const me = yield* client.request(token, { method: "GET", path: "/api/me", what: "read the connected account" }, Me).pipe(
      Effect.mapError((error) =>
        new InstallError({
          reason: error.reason === "Unauthorized" || error.reason === "Forbidden" ? "InvalidCredentials" : "VendorUnavailable",
          message: "Could not check the ${n.name} token: " + error.message
        })
      )
    )
    return {
      externalAccountId: me.workspace.id,
      displayName: me.workspace.name,
      tokens: tokenSet({ accessToken: Redacted.value(token), now: yield* Clock.currentTimeMillis, scopes: [] }),
      metadata: { accountId: me.user.id, accountName: me.user.name }
    }
  })
})
`
