/**
 * Agent activities: how an agent speaks inside a Linear agent session. One mutation,
 * `agentActivityCreate`, with a `content` object whose `type` says what it is: `thought`
 * (progress, reasoning), `action` (a tool call: `action`, `parameter`, optional `result`),
 * `response` (the final answer; Linear also posts it as a comment), `error`, or `elicitation`
 * (a question that waits for the user). Thoughts and actions may be `ephemeral`: replaced by
 * the next activity. Posted by the `create_agent_activity` tool, and by the acknowledgement of a
 * new session (`webhook/Acknowledge.ts`).
 */
import { Effect, type Redacted, Schema } from "effect"
import { ToolError } from "../../kernel/domain/Errors.ts"
import { nullable } from "../../kernel/provider/Vendor.ts"
import * as LinearClient from "./LinearClient.ts"

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
