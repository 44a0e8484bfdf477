/**
 * A local fake of Linear for tests and the dev sandbox: its OAuth endpoints
 * (`FakeLinearOAuth.ts`), its GraphQL API (`FakeLinearGraphQL.ts`) and test controls, as one
 * runtime-neutral web handler `(request: Request) => Promise<Response>` over in-memory state.
 * Serve it with `test/support/serve.ts` (Node) or any runtime's `serve`, and point the
 * provider at it with LINEAR_API_URL and LINEAR_OAUTH_URL set to its URL.
 *
 * Controls exist twice: as functions on `control` for in-process tests, and under `/_fake/...`
 * for out-of-process ones. They are unauthenticated: this is test tooling, never deploy it.
 *
 * | route | what |
 * |---|---|
 * | `POST /_fake/issues` | seed an issue `{ title?, description?, teamId?, labels?, ... }`, answers it |
 * | `GET /_fake/comments?issueId=` | comments posted (on one issue, or all) |
 * | `POST /_fake/tokens` | mint a token set `{ scopes?, expiresInSeconds? }` without the OAuth dance |
 * | `POST /_fake/tokens/revoke`, `POST /_fake/tokens/expire` | `{ token }` |
 * | `POST /_fake/rate-limit` | `{ on, retryAfterSeconds?, resetInSeconds? }` |
 * | `POST /_fake/auto-approve` | `{ on }` |
 * | `GET /_fake/state` | organization, app user, client id, counts |
 */
import { Option, Schema } from "effect"
import * as FakeLinearGraphQL from "./FakeLinearGraphQL.ts"
import * as FakeLinearOAuth from "./FakeLinearOAuth.ts"
import { json } from "./FakeLinearOAuth.ts"
import * as State from "./FakeLinearState.ts"

export interface FakeLinearControl {
  readonly state: State.FakeLinearState
  readonly clientId: string
  readonly clientSecret: string
  readonly organization: State.FakeOrganization
  readonly appUser: State.FakeUser
  readonly seedTeam: (team: State.FakeTeam) => State.FakeTeam
  readonly seedIssue: (seed?: State.SeedIssue) => State.FakeIssue
  readonly comments: (issueId?: string) => ReadonlyArray<State.FakeComment>
  /** A token set as if an install had happened (default scopes: read, write, app:*). */
  readonly mintTokens: (options?: {
    readonly scopes?: ReadonlyArray<string> | undefined
    readonly expiresInSeconds?: number | undefined
  }) => State.IssuedTokens
  readonly revokeToken: (token: string) => boolean
  readonly expireToken: (accessToken: string) => boolean
  /** `false` turns it off; otherwise every GraphQL call answers 429 RATELIMITED. */
  readonly setRateLimited: (limit: false | Partial<State.FakeRateLimit>) => void
  readonly setAutoApprove: (on: boolean) => void
  readonly allowRedirectUri: (uri: string) => void
}

export interface FakeLinear {
  readonly handler: (request: Request) => Promise<Response>
  readonly control: FakeLinearControl
}

const DEFAULT_SCOPES = ["read", "write", "app:assignable", "app:mentionable"]

const makeControl = (state: State.FakeLinearState): FakeLinearControl => ({
  state,
  clientId: state.clientId,
  clientSecret: state.clientSecret,
  organization: state.organization,
  appUser: state.appUser,
  seedTeam: (team) => {
    state.teams.set(team.id, team)
    return team
  },
  seedIssue: (seed) => State.seedIssue(state, seed),
  comments: (issueId) => {
    const issue = issueId === undefined ? undefined : State.findIssue(state, issueId)
    return issueId === undefined
      ? [...state.comments]
      : state.comments.filter((comment) => comment.issueId === (issue?.id ?? issueId))
  },
  mintTokens: (options = {}) =>
    State.issueTokens(state, crypto.randomUUID(), options.scopes ?? DEFAULT_SCOPES, options.expiresInSeconds),
  revokeToken: (token) => State.revokeGrantOf(state, token),
  expireToken: (token) => State.expireAccessToken(state, token),
  setRateLimited: (limit) => {
    state.rateLimit = limit === false
      ? null
      : { retryAfterSeconds: limit.retryAfterSeconds ?? null, resetInSeconds: limit.resetInSeconds ?? 60 }
  },
  setAutoApprove: (on) => {
    state.autoApprove = on
  },
  allowRedirectUri: (uri) => {
    state.redirectUris = [...(state.redirectUris ?? []), uri]
  }
})

const optionalNumber = Schema.optional(Schema.NullOr(Schema.Number))
const SeedIssueBody = Schema.Struct({
  id: Schema.optional(Schema.String),
  title: Schema.optional(Schema.String),
  description: Schema.optional(Schema.NullOr(Schema.String)),
  teamId: Schema.optional(Schema.String),
  priority: Schema.optional(Schema.Number),
  stateName: Schema.optional(Schema.String),
  stateType: Schema.optional(Schema.String),
  labels: Schema.optional(Schema.Array(Schema.String))
})
const MintBody = Schema.Struct({ scopes: Schema.optional(Schema.Array(Schema.String)), expiresInSeconds: optionalNumber })
const TokenBody = Schema.Struct({ token: Schema.String })
const RateLimitBody = Schema.Struct({ on: Schema.Boolean, retryAfterSeconds: optionalNumber, resetInSeconds: optionalNumber })
const SwitchBody = Schema.Struct({ on: Schema.Boolean })

const readBody = async <A>(request: Request, schema: Schema.Codec<A, unknown>): Promise<Option.Option<A>> => {
  const text = await request.text()
  return Schema.decodeUnknownOption(Schema.fromJsonString(schema))(text.length === 0 ? "{}" : text)
}

const badRequest = (what: string) => json(400, { error: `invalid body for ${what}` })

const controlRoute = async (control: FakeLinearControl, request: Request, path: string): Promise<Response> => {
  const route = `${request.method} ${path}`
  switch (route) {
    case "POST /_fake/issues": {
      const body = await readBody(request, SeedIssueBody)
      return Option.match(body, { onNone: () => badRequest(route), onSome: (seed) => json(201, control.seedIssue(seed)) })
    }
    case "GET /_fake/comments":
      return json(200, control.comments(new URL(request.url).searchParams.get("issueId") ?? undefined))
    case "POST /_fake/tokens": {
      const body = await readBody(request, MintBody)
      return Option.match(body, {
        onNone: () => badRequest(route),
        onSome: (options) =>
          json(201, control.mintTokens({ scopes: options.scopes, expiresInSeconds: options.expiresInSeconds ?? undefined }))
      })
    }
    case "POST /_fake/tokens/revoke":
    case "POST /_fake/tokens/expire": {
      const body = await readBody(request, TokenBody)
      const act = path.endsWith("revoke") ? control.revokeToken : control.expireToken
      return Option.match(body, { onNone: () => badRequest(route), onSome: ({ token }) => json(200, { found: act(token) }) })
    }
    case "POST /_fake/rate-limit": {
      const body = await readBody(request, RateLimitBody)
      return Option.match(body, {
        onNone: () => badRequest(route),
        onSome: (limit) => {
          control.setRateLimited(limit.on && {
            retryAfterSeconds: limit.retryAfterSeconds ?? null,
            resetInSeconds: limit.resetInSeconds ?? 60
          })
          return json(200, { on: limit.on })
        }
      })
    }
    case "POST /_fake/auto-approve": {
      const body = await readBody(request, SwitchBody)
      return Option.match(body, {
        onNone: () => badRequest(route),
        onSome: ({ on }) => {
          control.setAutoApprove(on)
          return json(200, { on })
        }
      })
    }
    case "GET /_fake/state":
      return json(200, {
        clientId: control.clientId,
        organization: control.organization,
        appUser: control.appUser,
        issues: control.state.issues.size,
        comments: control.state.comments.length,
        rateLimited: control.state.rateLimit !== null
      })
    default:
      return json(404, { error: `no fake control at ${route}` })
  }
}

export const makeFakeLinear = (options: State.FakeLinearOptions = {}): FakeLinear => {
  const state = State.makeState(options)
  const control = makeControl(state)
  const handler = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname.replace(/\/+$/, "") || "/"
    if (path.startsWith("/_fake/")) return controlRoute(control, request, path)
    switch (`${request.method} ${path}`) {
      case "GET /oauth/authorize":
        return FakeLinearOAuth.authorize(state, request)
      case "GET /oauth/authorize/approve":
      case "POST /oauth/authorize/approve":
        return FakeLinearOAuth.decide(state, request)
      case "POST /oauth/token":
        return FakeLinearOAuth.token(state, request)
      case "POST /oauth/revoke":
        return FakeLinearOAuth.revoke(state, request)
      case "POST /graphql":
        return FakeLinearGraphQL.graphql(state, request)
      default:
        return json(404, { error: `the fake Linear has no ${request.method} ${path}` })
    }
  }
  return { handler, control }
}
