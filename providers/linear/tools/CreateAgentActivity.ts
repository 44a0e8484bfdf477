/**
 * `create_agent_activity`: speak inside the Linear agent session the dispatch came from (its
 * id is `agentSessionId` in the dispatch context). `thought` for progress, `action` for a step
 * taken (`action` and `parameter`, with `result` once known), `elicitation` to ask the user and
 * wait, `response` for the final answer (Linear also posts it as a comment), `error` when the
 * work failed. Linear moves the session's status from the last activity.
 */
import { Effect, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import { ACTIVITY_TYPES, type ActivityContent, postActivity } from "../LinearActivities.ts"
import type * as LinearClient from "../LinearClient.ts"

const short = (max: number, description: string) =>
  Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(max)).annotate({ description })

export const Input = Schema.Struct({
  agentSessionId: short(200, "The Linear agent session (agentSessionId in the dispatch context)"),
  type: Schema.Literals(ACTIVITY_TYPES).annotate({
    description: "thought (progress), action (a step: action + parameter, result when known), response (the final " +
      "answer), error (it failed), elicitation (a question for the user)"
  }),
  body: Schema.optionalKey(short(50_000, "Markdown text; required for every type except action")),
  action: Schema.optionalKey(short(200, "For action: what is being done, such as Searching")),
  parameter: Schema.optionalKey(short(2_000, "For action: what it is done on, such as a query or file")),
  result: Schema.optionalKey(short(50_000, "For action: the outcome, once known")),
  ephemeral: Schema.optionalKey(Schema.Boolean.annotate({
    description: "For thought and action: replaced by the next activity instead of staying in the timeline"
  }))
})
type Input = typeof Input.Type

const invalid = (message: string) => new ToolError({ reason: "InvalidInput", message })

/** The fields each type needs, checked here so the agent gets one clear message. */
const contentOf = (input: Input): Effect.Effect<ActivityContent, ToolError> => {
  if (input.ephemeral === true && input.type !== "thought" && input.type !== "action") {
    return Effect.fail(invalid("Only thought and action activities can be ephemeral"))
  }
  if (input.type === "action") {
    if (input.action === undefined || input.parameter === undefined) {
      return Effect.fail(invalid("An action activity needs action and parameter"))
    }
    return Effect.succeed({
      type: "action",
      action: input.action,
      parameter: input.parameter,
      ...(input.result === undefined ? {} : { result: input.result })
    })
  }
  if (input.body === undefined) return Effect.fail(invalid(`A ${input.type} activity needs a body`))
  return Effect.succeed({ type: input.type, body: input.body })
}

export const make = (client: LinearClient.LinearClient): Tool =>
  defineTool({
    name: "create_agent_activity",
    title: "Post an activity in a Linear agent session",
    description: "Posts a thought, action, response, error or elicitation in the Linear agent session the work came " +
      "from (agentSessionId from the dispatch context). End the work with a response, or an error.",
    input: Input,
    scope: "activities:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("LinearTools.createAgentActivity")(function*(input, context) {
      const content = yield* contentOf(input)
      const id = yield* postActivity(client, context.accessToken, {
        agentSessionId: input.agentSessionId,
        content,
        ephemeral: input.ephemeral
      })
      return { id, agentSessionId: input.agentSessionId, type: input.type }
    })
  })
