/**
 * Calling a provider's tools through the official MCP SDK client in tests: the answer decoded
 * (never cast), a success's structured content, or a failure's typed error.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { Schema } from "effect"
import { expect } from "vitest"

const ToolAnswer = Schema.Struct({
  isError: Schema.optional(Schema.Boolean),
  content: Schema.Array(Schema.Struct({ type: Schema.String, text: Schema.optional(Schema.String) })),
  structuredContent: Schema.optional(Schema.Record(Schema.String, Schema.Unknown))
})
export type ToolAnswer = typeof ToolAnswer.Type

const ToolFailure = Schema.Struct({
  error: Schema.Struct({ reason: Schema.String, message: Schema.String, retryAfterSeconds: Schema.optional(Schema.Number) })
})

/** `call`, `ok` and `failed` for the tools `mcp_<providerId>_<name>`. */
export const toolCaller = (providerId: string) => {
  /** Calls a tool through the MCP SDK client and decodes its answer. */
  const call = async (client: Client, name: string, args: Record<string, unknown>): Promise<ToolAnswer> =>
    Schema.decodeUnknownSync(ToolAnswer)(await client.callTool({ name: `mcp_${providerId}_${name}`, arguments: args }))

  /** A tool's successful structured answer; fails the test with the tool's message otherwise. */
  const ok = async (client: Client, name: string, args: Record<string, unknown>) => {
    const answer = await call(client, name, args)
    expect(answer.isError, answer.content.map((part) => part.text).join(" ")).not.toBe(true)
    return answer.structuredContent ?? {}
  }

  /** A tool's error answer (`isError: true`), decoded. */
  const failed = async (client: Client, name: string, args: Record<string, unknown>) => {
    const answer = await call(client, name, args)
    expect(answer.isError, JSON.stringify(answer.structuredContent)).toBe(true)
    return { ...Schema.decodeUnknownSync(ToolFailure)(answer.structuredContent).error, text: answer.content[0]?.text ?? "" }
  }

  return { call, ok, failed }
}
