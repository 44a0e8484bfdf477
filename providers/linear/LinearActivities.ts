/**
 * Agent activities: how an agent speaks inside a Linear agent session. One mutation,
 * `agentActivityCreate`, with a `content` object whose `type` says what it is: `thought`
 * (progress, reasoning), `action` (a tool call: `action`, `parameter`, optional `result`),
 * `response` (the final answer; Linear also posts it as a comment), `error`, or `elicitation`
 * (a question that waits for the user). Thoughts and actions may be `ephemeral`: replaced by
 * the next activity.
 *
 * Also the acknowledgement Linear asks for: a first activity within 10 seconds of an agent
 * session's `created` event, or the agent is shown as unresponsive. It is posted with an id
 * derived from the webhook delivery, so a second attempt for the same delivery (another tenant
 * that installed the same workspace, a retry) cannot post it twice: Linear refuses a duplicate
 * id, and the existing activity is then taken as the acknowledgement.
 */
import { Effect, Redacted, Schema } from "effect"
import type { HttpClient } from "effect/http"
import { ToolError } from "../../kernel/domain/Errors.ts"
import * as LinearClient from "./LinearClient.ts"
import { nullable } from "./LinearSchema.ts"

export const ACTIVITY_TYPES = ["thought", "action", "response", "error", "elicitation"] as const
export type ActivityType = typeof ACTIVITY_TYPES[number]

export type ActivityContent =
  | { readonly type: "thought" | "response" | "error" | "elicitation"; readonly body: string }
  | { readonly type: "action"; readonly action: string; readonly parameter: string; readonly result?: string }

export const CreateActivity = LinearClient.operation(
  "CreateAgentActivity",
  `mutation CreateAgentActivity($input: AgentActivityCreateInput!) {
  agentActivityCreate(input: $input) {
    success
    agentActivity { id }
  }
}`,
  Schema.Struct({
    agentActivityCreate: Schema.Struct({
      success: Schema.Boolean,
      agentActivity: nullable(Schema.Struct({ id: Schema.String }))
    })
  })
)

const ActivityExists = LinearClient.operation(
  "AgentActivityExists",
  "query AgentActivityExists($id: String!) { agentActivity(id: $id) { id } }",
  Schema.Struct({ agentActivity: nullable(Schema.Struct({ id: Schema.String })) })
)

export const postActivity = Effect.fnUntraced(function*(
  client: LinearClient.LinearClient,
  accessToken: Redacted.Redacted<string>,
  activity: {
    readonly agentSessionId: string
    readonly content: ActivityContent
    readonly ephemeral?: boolean | undefined
    readonly id?: string | undefined
  }
) {
  const input = {
    agentSessionId: activity.agentSessionId,
    content: { ...activity.content },
    ...(activity.ephemeral === undefined ? {} : { ephemeral: activity.ephemeral }),
    ...(activity.id === undefined ? {} : { id: activity.id })
  }
  const data = yield* client.execute(CreateActivity, { input }, accessToken)
  const created = data.agentActivityCreate.agentActivity
  if (!data.agentActivityCreate.success || created === undefined || created === null) {
    return yield* new ToolError({
      reason: "VendorError",
      message: `Linear did not record the ${activity.content.type} activity in agent session ${activity.agentSessionId}`
    })
  }
  return created.id
})

const hex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")

/** A UUID v4-shaped id, the same for the same seed: Linear accepts client-chosen activity ids. */
export const stableActivityId = (seed: string): Effect.Effect<string> =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", new TextEncoder().encode(`switchboard:activity:${seed}`))).pipe(
    Effect.map((digest) => {
      const bytes = new Uint8Array(digest).slice(0, 16)
      bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
      bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
      const text = hex(bytes)
      return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`
    })
  )

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
