/**
 * Turns a delivery's event name (`X-GitHub-Event`) and parsed body into a `GitHubEvent` tagged
 * union (payload schemas: `GitHubPayloads.ts`).
 *
 * GitHub sends dozens of events; the ones without a trigger are `Unhandled` (recorded as
 * ignored, with the reason), never an error. A handled event whose required parts are missing
 * is `Malformed`. Handled: `issues`, `issue_comment`, `pull_request`, `pull_request_review`,
 * `pull_request_review_comment`, `installation`, `github_app_authorization`, `ping`.
 */
import { Effect, Option, Schema } from "effect"
import * as Payloads from "./GitHubPayloads.ts"

export type GitHubEvent =
  | { readonly _tag: "Issues"; readonly event: Payloads.IssuesEvent }
  | { readonly _tag: "IssueComment"; readonly event: Payloads.IssueCommentEvent }
  | { readonly _tag: "PullRequest"; readonly event: Payloads.PullRequestEvent }
  | { readonly _tag: "Review"; readonly event: Payloads.PullRequestReviewEvent }
  | { readonly _tag: "ReviewComment"; readonly event: Payloads.PullRequestReviewCommentEvent }
  | { readonly _tag: "Installation"; readonly event: Payloads.InstallationEvent }
  | { readonly _tag: "AppAuthorization"; readonly action: string }
  | { readonly _tag: "Ping"; readonly zen: string | null }
  | { readonly _tag: "Unhandled"; readonly eventType: string }

/** `issue_comment.created`: the name used in logs, the Console and `DecodedWebhook.eventType`. */
export const eventTypeOf = (eventName: string, envelope: typeof Payloads.Envelope.Type): string =>
  envelope.action === undefined || envelope.action === null || envelope.action.length === 0
    ? eventName
    : `${eventName}.${envelope.action}`

type Decoder = (body: unknown) => Effect.Effect<GitHubEvent, Schema.SchemaError>

const decoderFor = <S extends Schema.Codec<unknown, unknown>>(schema: S, wrap: (value: S["Type"]) => GitHubEvent): Decoder => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (body) => Effect.map(decode(body), wrap)
}

/** A Map, not an object literal, so a header value can never reach a prototype key. */
const decoders: ReadonlyMap<string, Decoder> = new Map<string, Decoder>([
  ["issues", decoderFor(Payloads.IssuesEvent, (event) => ({ _tag: "Issues", event }))],
  ["issue_comment", decoderFor(Payloads.IssueCommentEvent, (event) => ({ _tag: "IssueComment", event }))],
  ["pull_request", decoderFor(Payloads.PullRequestEvent, (event) => ({ _tag: "PullRequest", event }))],
  ["pull_request_review", decoderFor(Payloads.PullRequestReviewEvent, (event) => ({ _tag: "Review", event }))],
  [
    "pull_request_review_comment",
    decoderFor(Payloads.PullRequestReviewCommentEvent, (event) => ({ _tag: "ReviewComment", event }))
  ],
  ["installation", decoderFor(Payloads.InstallationEvent, (event) => ({ _tag: "Installation", event }))],
  [
    "github_app_authorization",
    decoderFor(Payloads.AppAuthorizationEvent, (event) => ({ _tag: "AppAuthorization", action: event.action }))
  ],
  ["ping", decoderFor(Payloads.PingEvent, (event) => ({ _tag: "Ping", zen: event.zen ?? null }))]
])

/** Decodes a parsed body; fails only when a handled event is malformed. */
export const classify = (eventName: string, eventType: string, body: unknown): Effect.Effect<GitHubEvent, Schema.SchemaError> =>
  Option.match(Option.fromNullishOr(decoders.get(eventName)), {
    onNone: () => Effect.succeed<GitHubEvent>({ _tag: "Unhandled", eventType }),
    onSome: (decode) => decode(body)
  })
