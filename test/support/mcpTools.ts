/**
 * Calling a provider's tools through an official MCP SDK client in tests (the v1 `Client` or the
 * v2 one: both have `callTool`): the answer decoded (never cast), a success's structured
 * content, a failure's typed error, or the JSON-RPC error a refused call throws.
 */
import { Schema } from "effect"
import { expect } from "vitest"

/** What the helpers need of a client: v1's and v2's `Client` both fit. */
export interface ToolClient {
  readonly callTool: (params: { name: string; arguments?: Record<string, unknown> }) => Promise<unknown>
}

const ToolAnswer = Schema.Struct({
  isError: Schema.optional(Schema.Boolean),
  content: Schema.Array(Schema.Struct({ type: Schema.String, text: Schema.optional(Schema.String) })),
  structuredContent: Schema.optional(Schema.Record(Schema.String, Schema.Unknown))
})
export type ToolAnswer = typeof ToolAnswer.Type

const ToolFailure = Schema.Struct({
  error: Schema.Struct({ reason: Schema.String, message: Schema.String, retryAfterSeconds: Schema.optional(Schema.Number) })
})

/** A JSON-RPC error as both SDKs throw it (v1 `McpError`, v2 `ProtocolError`). */
const RpcError = Schema.Struct({ code: Schema.Number, message: Schema.String, data: Schema.optional(Schema.Unknown) })
export type RpcError = typeof RpcError.Type

/** The JSON-RPC error `attempt` throws; fails the test if it answers instead. */
export const rpcError = async (attempt: () => Promise<unknown>): Promise<RpcError> => {
  const outcome = await attempt().then(
    (answer) => ({ answered: true as const, answer }),
    (error: unknown) => ({ answered: false as const, error })
  )
  if (outcome.answered) expect.fail(`expected a JSON-RPC error, got ${JSON.stringify(outcome.answer)}`)
  return Schema.decodeUnknownSync(RpcError)(outcome.error)
}

/** `call`, `ok`, `failed` and `refused` for the tools `mcp_<providerId>_<name>`. */
export const toolCaller = (providerId: string) => {
  /** Calls a tool through the MCP SDK client and decodes its answer. */
  const call = async (client: ToolClient, name: string, args: Record<string, unknown>): Promise<ToolAnswer> =>
    Schema.decodeUnknownSync(ToolAnswer)(await client.callTool({ name: `mcp_${providerId}_${name}`, arguments: args }))

  /** A tool's successful structured answer; fails the test with the tool's message otherwise. */
  const ok = async (client: ToolClient, name: string, args: Record<string, unknown>) => {
    const answer = await call(client, name, args)
    expect(answer.isError, answer.content.map((part) => part.text).join(" ")).not.toBe(true)
    return answer.structuredContent ?? {}
  }

  /** A tool's error answer (`isError: true`), decoded. */
  const failed = async (client: ToolClient, name: string, args: Record<string, unknown>) => {
    const answer = await call(client, name, args)
    expect(answer.isError, JSON.stringify(answer.structuredContent)).toBe(true)
    return { ...Schema.decodeUnknownSync(ToolFailure)(answer.structuredContent).error, text: answer.content[0]?.text ?? "" }
  }

  /** A call the server refuses with a JSON-RPC error (an unknown tool: -32602), decoded. */
  const refused = (client: ToolClient, name: string, args: Record<string, unknown>) =>
    rpcError(() => client.callTool({ name: `mcp_${providerId}_${name}`, arguments: args }))

  return { call, ok, failed, refused }
}
