/** Templates: the example tool, the tool list with its scopes, and the provider that assembles the parts. */
import type { Names } from "./Names.ts"

export const getItem = (n: Names) => `/** \`get_item\`: reads one ${n.name} item. An example: one file per tool, exporting \`make(client)\`. */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { ${n.pascal}Client } from "../${n.pascal}Client.ts"

export const Input = Schema.Struct({
  itemId: Schema.String.check(Schema.isPattern(/^[A-Za-z0-9_-]{1,100}$/u)).annotate({ description: "The item's id (itemId in the dispatch context)" })
})

const Item = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  status: Schema.String,
  assigneeId: Schema.NullOr(Schema.String)
})

export const make = (client: ${n.pascal}Client): Tool =>
  defineTool({
    name: "get_item",
    title: "Read a ${n.name} item",
    description: "Reads a ${n.name} item: its title, status and assignee.",
    input: Input,
    scope: "items:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("${n.pascal}Tools.getItem")(function*(input, context) {
      const item = yield* client.request(
        context.accessToken,
        { method: "GET", path: "/api/items/" + encodeURIComponent(input.itemId), what: "get item " + input.itemId },
        Item
      )
      return { id: item.id, title: item.title, status: item.status, assigneeId: item.assigneeId }
    })
  })
`

export const tools = (n: Names) => `/**
 * The ${n.name} tools and the publication scopes they sit behind: one scope per resource and
 * verb a workspace owner would grant or withhold. Adding a tool is a file under \`tools/\` and a
 * line in \`toolFactories\` (and a scope below if it needs a new one).
 *
 * | tool | scope |
 * |---|---|
 * | get_item | items:read |
 */
import type { ScopeDefinition } from "../../kernel/provider/Provider.ts"
import type { Tool } from "../../kernel/provider/Tool.ts"
import type { ${n.pascal}Client } from "./${n.pascal}Client.ts"
import * as GetItem from "./tools/GetItem.ts"

export const scopes: ReadonlyArray<ScopeDefinition> = [{ name: "items:read", description: "Read items" }]

const toolFactories: ReadonlyArray<(client: ${n.pascal}Client) => Tool> = [GetItem.make]

export const make = (client: ${n.pascal}Client): ReadonlyArray<Tool> => toolFactories.map((factory) => factory(client))
`

export const provider = (n: Names) => `/**
 * The ${n.name} provider: the four answers of the contract (\`kernel/provider/\`) in one place.
 *
 * - install: credential paste (\`${n.pascal}Credentials.ts\`);
 * - webhooks: verified and decoded in \`${n.pascal}Webhooks.ts\`, decided in \`${n.pascal}Dispatch.ts\`;
 * - tools: \`${n.pascal}Tools.ts\`, one file each under \`tools/\`;
 * - publication: the scopes, granularities and filters below.
 *
 * \`make\` reads the settings once (\`${n.pascal}Config.ts\`); missing settings never fail it.
 */
import { Effect } from "effect"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import type { IntegrationProvider, ProviderFactory } from "../../kernel/provider/Provider.ts"
import * as ${n.pascal}Client from "./${n.pascal}Client.ts"
import * as ${n.pascal}Config from "./${n.pascal}Config.ts"
import * as ${n.pascal}Credentials from "./${n.pascal}Credentials.ts"
import * as ${n.pascal}Tools from "./${n.pascal}Tools.ts"
import * as ${n.pascal}Webhooks from "./${n.pascal}Webhooks.ts"

export const fromSettings = (settings: ${n.pascal}Config.${n.pascal}Settings): IntegrationProvider => {
  const client = ${n.pascal}Client.make(settings.apiUrl)
  return {
    id: ProviderId.make("${n.id}"),
    displayName: "${n.name}",
    description: "Agents take ${n.name} items assigned to their account and read them back.",
    install: [${n.pascal}Credentials.make(client)],
    webhook: ${n.pascal}Webhooks.make(settings),
    tools: ${n.pascal}Tools.make(client),
    scopes: ${n.pascal}Tools.scopes,
    granularities: ["issue", "workspace"],
    filters: []
  }
}

export const make: ProviderFactory = Effect.map(${n.pascal}Config.load, fromSettings)
`
