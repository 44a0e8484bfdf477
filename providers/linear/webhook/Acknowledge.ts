/**
 * The acknowledgement Linear asks for: a first activity within 10 seconds of an agent session's
 * `created` event, or the agent is shown as unresponsive. The kernel runs it right after storing
 * the event, apart from the dispatch. It is posted with an id derived from the webhook delivery,
 * so a second attempt for the same delivery (another tenant that installed the same workspace, a
 * retry) cannot post it twice: Linear refuses a duplicate id, and the existing activity is then
 * taken as the acknowledgement.
 */
import { Effect, type Redacted, Schema } from "effect"
import type { HttpClient } from "effect/http"
import type { ToolError } from "../../../kernel/domain/Errors.ts"
import { sha256Hex, utf8Encode } from "../../../kernel/encoding/Encoding.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { postActivity } from "../LinearActivities.ts"
import * as LinearClient from "../LinearClient.ts"

const ActivityExists = LinearClient.operation(
  "AgentActivityExists",
  "query AgentActivityExists($id: String!) { agentActivity(id: $id) { id } }",
  Schema.Struct({ agentActivity: nullable(Schema.Struct({ id: Schema.String })) })
)

/** A UUID v4-shaped id, the same for the same seed: Linear accepts client-chosen activity ids. */
export const stableActivityId = (seed: string): Effect.Effect<string> =>
  Effect.map(Effect.promise(() => sha256Hex(utf8Encode(`switchboard:activity:${seed}`))), (hex) => {
    // The version nibble becomes 4 and the variant bits 10, as in a random UUID.
    const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16)
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  })

/** The first activity of a new session: a thought saying the request was received. */
export const acknowledge = (
  client: LinearClient.LinearClient,
  options: { readonly deliveryId: string; readonly agentSessionId: string; readonly issue: string | null }
) =>
(accessToken: Redacted.Redacted<string>): Effect.Effect<void, ToolError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const id = yield* stableActivityId(`ack:${options.deliveryId}:${options.agentSessionId}`)
    const body = options.issue === null
      ? "Request received; starting work."
      : `Request received; starting work on ${options.issue}.`
    yield* postActivity(client, accessToken, { agentSessionId: options.agentSessionId, content: { type: "thought", body }, id })
      .pipe(
        Effect.catchIf(
          (error) => error.reason === "InvalidInput",
          (error) =>
            // Linear refuses an id it already has: the acknowledgement was posted before.
            client.execute(ActivityExists, { id }, accessToken).pipe(
              Effect.flatMap((found) => (found.agentActivity ? Effect.void : Effect.fail(error))),
              Effect.catchIf((lookup) => lookup !== error, () => Effect.fail(error))
            )
        )
      )
  }).pipe(Effect.withSpan("LinearActivities.acknowledge"))
