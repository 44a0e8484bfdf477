/** What the kit reads back from the kernel: dispatches per delivery, stored deliveries, tool answers. */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { Schema } from "effect"
import type { SessionDelivery } from "../../kernel/domain/SessionDispatch.ts"
import type { KitKernel, KitWorld } from "./KitTypes.ts"

export const dispatchesOf = (kernel: KitKernel, deliveryId: string): ReadonlyArray<SessionDelivery> =>
  kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === deliveryId)

const Deliveries = Schema.Struct({ deliveries: Schema.Array(Schema.Struct({ event: Schema.Struct({ deliveryId: Schema.String }) })) })

/** The vendor delivery ids the kernel stored for the world's tenant. */
export const storedDeliveryIds = async (world: KitWorld): Promise<ReadonlyArray<string>> => {
  const response = await world.kernel.request("/v1/deliveries?limit=200", { apiKey: world.apiKey })
  return Schema.decodeUnknownSync(Deliveries)(await response.json()).deliveries.map((row) => row.event.deliveryId)
}

const ToolAnswer = Schema.Struct({
  isError: Schema.optional(Schema.Boolean),
  content: Schema.Array(Schema.Struct({ type: Schema.String, text: Schema.optional(Schema.String) })),
  structuredContent: Schema.optional(Schema.Unknown)
})
const ToolFailure = Schema.Struct({ error: Schema.Struct({ reason: Schema.String }) })

export interface ToolAnswer {
  readonly isError: boolean
  /** The ToolError reason of an error answer. */
  readonly reason: string | undefined
  readonly text: string
  readonly structured: unknown
}

/** Calls a tool through the MCP client; a protocol error (a throw) fails the test. */
export const callTool = async (client: Client, name: string, args: unknown): Promise<ToolAnswer> => {
  const answer = Schema.decodeUnknownSync(ToolAnswer)(
    await client.callTool({ name, arguments: typeof args === "object" && args !== null && !Array.isArray(args) ? { ...args } : {} })
  )
  const failure = Schema.decodeUnknownOption(ToolFailure)(answer.structuredContent)
  return {
    isError: answer.isError === true,
    reason: failure._tag === "Some" ? failure.value.error.reason : undefined,
    text: answer.content.map((part) => part.text ?? "").join(" "),
    structured: answer.structuredContent
  }
}
