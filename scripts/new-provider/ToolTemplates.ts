/** Templates: the example tool (input Schema, scope, executor) and the tool list. */
import type { Names } from "./Names.ts"

export const getItem = (n: Names) => `/** \`get_item\`: reads one ${n.name} item. One block per tool: its input Schema, its scope, its executor. */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { ${n.pascal}Client } from "../client/${n.pascal}Client.ts"

export const Input = Schema.Struct({
  itemId: Schema.String.check(Schema.isPattern(/^[A-Za-z0-9_-]{1,100}$/u)).annotate({ description: "The item's id (itemId in the dispatch context)" })
})

const Item = Schema.Struct({ id: Schema.String, title: Schema.String, status: Schema.String, assigneeId: Schema.NullOr(Schema.String) })

export const make = (client: ${n.pascal}Client): Tool =>
  defineTool({
    name: "get_item",
    title: "Read a ${n.name} item",
    description: "Reads a ${n.name} item: its title, status and assignee.",
    input: Input,
    scope: "items:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("${n.pascal}Tools.getItem")(function*(input, context) {
      const path = "/api/items/" + encodeURIComponent(input.itemId)
      const item = yield* client.request(context.accessToken, { method: "GET", path, what: "get item " + input.itemId }, Item)
      return { id: item.id, title: item.title, status: item.status, assigneeId: item.assigneeId }
    })
  })
`

export const tools = (n: Names) => `/**
 * The ${n.name} tools: one file each, exporting \`make(client)\`. Adding one is a file here, a line
 * in \`toolFactories\`, and its scope in \`publication/\` if it needs a new one.
 */
import type { Tool } from "../../../kernel/provider/Tool.ts"
import type { ${n.pascal}Client } from "../client/${n.pascal}Client.ts"
import * as GetItem from "./GetItem.ts"

const toolFactories: ReadonlyArray<(client: ${n.pascal}Client) => Tool> = [GetItem.make]

export const make = (client: ${n.pascal}Client): ReadonlyArray<Tool> => toolFactories.map((factory) => factory(client))
`
