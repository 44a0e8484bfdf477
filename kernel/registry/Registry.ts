/**
 * The providers this deployment serves. Routes (`/install/<id>`, `/webhook/<id>`,
 * `/v1/integrations`) and MCP tools come from it, so adding a provider is one line in the list
 * handed to `Registry.layer`.
 */
import { Context, Effect, Layer, Option } from "effect"
import type { Config } from "effect"
import type { IntegrationProvider, ProviderFactory } from "../provider/Provider.ts"
import { mcpToolName } from "../provider/Provider.ts"
import type { Tool } from "../provider/Tool.ts"

export interface RegisteredTool {
  readonly provider: IntegrationProvider
  readonly tool: Tool
  /** `mcp_<provider>_<tool>` */
  readonly mcpName: string
}

export class Registry extends Context.Service<Registry, {
  readonly providers: ReadonlyArray<IntegrationProvider>
  readonly get: (id: string) => Option.Option<IntegrationProvider>
  readonly tools: ReadonlyArray<RegisteredTool>
  readonly findTool: (mcpName: string) => Option.Option<RegisteredTool>
}>()("switchboard/registry/Registry") {
  static readonly make = (providers: ReadonlyArray<IntegrationProvider>): Registry["Service"] => {
    const byId = new Map<string, IntegrationProvider>()
    for (const provider of providers) {
      if (byId.has(provider.id)) throw new Error(`Provider "${provider.id}" is registered twice`)
      byId.set(provider.id, provider)
    }
    const tools = providers.flatMap((provider) =>
      provider.tools.map((tool) => ({ provider, tool, mcpName: mcpToolName(provider.id, tool.name) }))
    )
    const byToolName = new Map(tools.map((entry) => [entry.mcpName, entry]))
    if (byToolName.size !== tools.length) throw new Error("Two tools share one MCP name")
    return {
      providers,
      get: (id) => Option.fromNullishOr(byId.get(id)),
      tools,
      findTool: (mcpName) => Option.fromNullishOr(byToolName.get(mcpName))
    }
  }

  static readonly layer = (
    factories: ReadonlyArray<ProviderFactory>
  ): Layer.Layer<Registry, Config.ConfigError> =>
    Layer.effect(Registry, Effect.map(Effect.all(factories), (providers) => Registry.make(providers)))
}
