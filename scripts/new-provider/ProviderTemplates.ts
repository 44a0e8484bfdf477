/** Templates: the provider file (the list of its parts), its settings, its API client, its credential paste and its publication choices. */
import type { Names } from "./Names.ts"

export const provider = (n: Names) => `/**
 * The ${n.name} provider, as the list of its parts (the contract's four questions, \`kernel/provider/\`):
 * install in \`install/\`, webhook in \`webhook/\`, tools in \`tools/\`, publication in \`publication/\`,
 * and the vendor's API client in \`client/\`. \`make\` reads the settings once; missing settings never fail it.
 */
import { Effect } from "effect"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import type { IntegrationProvider, ProviderFactory } from "../../kernel/provider/Provider.ts"
import * as ${n.pascal}Client from "./client/${n.pascal}Client.ts"
import * as CredentialPaste from "./install/CredentialPaste.ts"
import * as ${n.pascal}Publication from "./publication/${n.pascal}Publication.ts"
import * as ${n.pascal}Settings from "./${n.pascal}Settings.ts"
import * as ${n.pascal}Tools from "./tools/${n.pascal}Tools.ts"
import * as ${n.pascal}Webhook from "./webhook/${n.pascal}Webhook.ts"

export const fromSettings = (settings: ${n.pascal}Settings.${n.pascal}Settings): IntegrationProvider => {
  const client = ${n.pascal}Client.make(settings.apiUrl)
  return {
    id: ProviderId.make("${n.id}"),
    displayName: "${n.name}",
    description: "Agents take ${n.name} items assigned to their account and read them back.",
    install: [CredentialPaste.make(client)],
    webhook: ${n.pascal}Webhook.make(settings),
    tools: ${n.pascal}Tools.make(client),
    scopes: ${n.pascal}Publication.scopes,
    granularities: ${n.pascal}Publication.granularities,
    filters: []
  }
}

export const make: ProviderFactory = Effect.map(${n.pascal}Settings.load, fromSettings)
`

export const settings = (n: Names) => `/**
 * The ${n.name} provider's settings, on the kernel's readers (blank is absent, nothing required):
 * ${n.env}_WEBHOOK_SECRET (a comma-separated list during a rotation) and ${n.env}_API_URL.
 */
import { Config } from "effect"
import * as Settings from "../../kernel/provider/Settings.ts"

const config = Config.all({
  webhookSecrets: Settings.secrets("${n.env}_WEBHOOK_SECRET"),
  apiUrl: Settings.baseUrl("${n.env}_API_URL", "https://api.${n.id}.example")
})

export type ${n.pascal}Settings = Config.Success<typeof config>

export const load = config
`

export const client = (n: Names) => `/**
 * A small client for the ${n.name} API over the Effect \`HttpClient\`: bearer token per call, the
 * answer decoded with a Schema, every failure a \`ToolError\` (401 Unauthorized, which makes the
 * kernel refresh and retry once; 403 Forbidden; 404 NotFound; 429 RateLimited with Retry-After;
 * other 4xx InvalidInput; 5xx VendorError). It does not retry.
 */
import { Duration, Effect, Option, type Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { decodeJsonText } from "../../../kernel/provider/Vendor.ts"

export interface ${n.pascal}Request {
  readonly method: "GET" | "POST"
  /** \`/api/...\` */
  readonly path: string
  readonly body?: Schema.Json | undefined
  /** What the call does, for messages: "get item 42". */
  readonly what: string
}

export type ${n.pascal}Client = ReturnType<typeof make>

const ErrorBody = Schema.Struct({ error: Schema.Struct({ message: Schema.String }) })

const toolError = (status: number, retryAfter: string | undefined, body: string, what: string): ToolError => {
  const detail = Option.match(Schema.decodeUnknownOption(Schema.fromJsonString(ErrorBody))(body), {
    onNone: () => "HTTP " + status,
    onSome: (decoded) => decoded.error.message
  })
  if (status === 429) {
    const wait = Math.max(1, Math.ceil(Number(retryAfter ?? "")) || 60)
    return new ToolError({ reason: "RateLimited", message: "${n.name} rate limit reached (" + what + "); retry in " + wait + "s", retryAfterSeconds: wait })
  }
  if (status === 401) return new ToolError({ reason: "Unauthorized", message: "${n.name} rejected the token (" + what + "): " + detail })
  if (status === 403) return new ToolError({ reason: "Forbidden", message: "${n.name} refused to " + what + ": " + detail })
  if (status === 404) return new ToolError({ reason: "NotFound", message: "${n.name} could not find it (" + what + "): " + detail })
  if (status < 500) return new ToolError({ reason: "InvalidInput", message: "${n.name} rejected the input (" + what + "): " + detail })
  return new ToolError({ reason: "VendorError", message: "${n.name} failed (" + what + ", HTTP " + status + "); try again later" })
}

const vendorError = (message: string) => new ToolError({ reason: "VendorError", message })

export const make = (apiUrl: string) => ({
  request: Effect.fnUntraced(function*<A>(token: Redacted.Redacted<string>, spec: ${n.pascal}Request, schema: Schema.Codec<A, unknown>) {
    const base = (spec.method === "GET" ? HttpClientRequest.get : HttpClientRequest.post)(apiUrl + spec.path).pipe(
      HttpClientRequest.bearerToken(token),
      HttpClientRequest.acceptJson
    )
    const response = yield* HttpClient.execute(spec.body === undefined ? base : HttpClientRequest.bodyJsonUnsafe(base, spec.body)).pipe(
      Effect.timeoutOrElse({ duration: Duration.seconds(30), orElse: () => Effect.fail(vendorError("${n.name} did not answer within 30s (" + spec.what + ")")) }),
      Effect.catchTag("HttpClientError", (error) => Effect.fail(vendorError("Could not reach ${n.name} to " + spec.what + ": " + error.message)))
    )
    const text = yield* response.text.pipe(Effect.mapError((error) => vendorError("Could not read ${n.name}'s answer: " + error.message)))
    if (response.status < 200 || response.status >= 300) return yield* toolError(response.status, response.headers["retry-after"], text, spec.what)
    return yield* decodeJsonText(schema)(text).pipe(
      Effect.mapError((error) => vendorError("${n.name}'s answer has an unexpected shape (" + spec.what + "): " + error.message))
    )
  })
})
`

export const credentials = (n: Names) => `/**
 * Installing ${n.name} by credential paste: an API token of the account the agent acts as, checked
 * with \`GET /api/me\` before anything is stored. The workspace is the installation's external
 * account (what webhooks name); the account id is kept to recognise the agent in events.
 * For OAuth, declare it with \`kernel/provider/OAuth2.ts\` (as providers/jira/install/OAuth.ts does).
 */
import { Clock, Effect, Redacted, Schema } from "effect"
import { tokenSet } from "../../../kernel/domain/Credentials.ts"
import type { CredentialsInstall } from "../../../kernel/provider/Install.ts"
import { installFailure } from "../../../kernel/provider/OAuth2.ts"
import type { ${n.pascal}Client } from "../client/${n.pascal}Client.ts"

const Me = Schema.Struct({ user: Schema.Struct({ id: Schema.String, name: Schema.String }), workspace: Schema.Struct({ id: Schema.String, name: Schema.String }) })

export const make = (client: ${n.pascal}Client): CredentialsInstall => ({
  _tag: "Credentials",
  fields: [{ name: "apiToken", label: "API token", secret: true, description: "An API token of the ${n.name} account the agent acts as" }],
  validate: Effect.fnUntraced(function*(fields) {
    const token = fields["apiToken"] ?? Redacted.make("")
    const me = yield* client.request(token, { method: "GET", path: "/api/me", what: "read the connected account" }, Me).pipe(
      Effect.mapError(installFailure("InvalidCredentials", "check the ${n.name} token"))
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

export const publication = (n: Names) => `/**
 * What a workspace owner chooses when publishing an agent on ${n.name}: the scopes (one per
 * resource and verb they would grant or withhold), and the granularities, each with the session
 * key it gives. Add filters (\`FilterCheck\`s in the webhook's \`route\`) when owners need them.
 */
import type { ScopeDefinition } from "../../../kernel/provider/Provider.ts"

export const scopes: ReadonlyArray<ScopeDefinition> = [{ name: "items:read", description: "Read items" }]

export const granularities = ["issue", "workspace"] as const

export const sessionKeys = (workspaceId: string, itemId: string) => ({ issue: "${n.id}:item:" + itemId, workspace: "${n.id}:workspace:" + workspaceId })
`
