/** `GET /health` (HealthRoutes) and `GET /v1/integrations`: what this deployment serves, straight from the Registry. */
import { Effect, Layer } from "effect"

import type { IntegrationProvider } from "../provider/Provider.ts"
import { mcpToolName } from "../provider/Provider.ts"
import { Registry } from "../registry/Registry.ts"
import { HealthRoutes } from "./HealthRoutes.ts"
import { json } from "./Respond.ts"
import { route } from "./Route.ts"

export const describeProvider = (provider: IntegrationProvider) => ({
  id: provider.id,
  displayName: provider.displayName,
  description: provider.description,
  install: provider.install.map((method) =>
    method._tag === "OAuth"
      ? { type: "oauth" as const, pkce: method.pkce, url: `/install/${provider.id}` }
      : { type: "credentials" as const, url: `/install/${provider.id}`, fields: method.fields }
  ),
  registration: provider.registration === undefined ? null : {
    fields: provider.registration.fields,
    manifest: provider.registration.manifest !== undefined,
    manifestFlow: provider.registration.manifestFlow === undefined ? null : `/install/${provider.id}/app`
  },
  scopes: provider.scopes,
  granularities: provider.granularities,
  filters: provider.filters,
  tools: provider.tools.map((tool) => ({
    name: mcpToolName(provider.id, tool.name),
    title: tool.title,
    description: tool.description,
    scope: tool.scope,
    annotations: tool.annotations,
    inputSchema: tool.inputJsonSchema
  }))
})

export const IntegrationRoutes = Layer.mergeAll(
  HealthRoutes,
  route(
    "GET",
    "/v1/integrations",
    Effect.map(Registry, (registry) => json(200, { integrations: registry.providers.map(describeProvider) }))
  )
)
