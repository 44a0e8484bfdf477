/** `GET /v1/integrations`: what this deployment serves, straight from the Registry. */
import { Effect } from "effect"

import type { IntegrationProvider } from "../provider/Provider.ts"
import { setupOf } from "../provider/Install.ts"
import { defaultGranularityOf, mcpToolName } from "../provider/Provider.ts"
import { Registry } from "../registry/Registry.ts"
import { json } from "./Respond.ts"
import { route } from "./Route.ts"

/**
 * `configured` (per provider and per install method): whether this deployment's settings alone
 * make an install work; `needs` names the settings still to set. A provider is configured when
 * any of its install methods is; a tenant's own app (`registration`) needs no deployment setting.
 */
/** Whether the deployment configured the provider, and what it still needs: without its tools' schemas. */
export const providerSetup = (provider: IntegrationProvider) => {
  const install = provider.install.map((method) => {
    const setup = setupOf(method)
    return method._tag === "OAuth"
      ? { type: "oauth" as const, pkce: method.pkce, url: `/install/${provider.id}`, ...setup }
      : { type: "credentials" as const, url: `/install/${provider.id}`, fields: method.fields, ...setup }
  })
  const configured = install.some((method) => method.configured)
  return { install, configured, needs: configured ? [] : [...new Set(install.flatMap((method) => method.needs))] }
}

export const describeProvider = (provider: IntegrationProvider) => {
  const { install, configured, needs } = providerSetup(provider)
  return {
    id: provider.id,
    displayName: provider.displayName,
    description: provider.description,
    configured,
    needs,
    install,
    registration: provider.registration === undefined ? null : {
      configured: true,
      fields: provider.registration.fields,
      manifest: provider.registration.manifest !== undefined,
      manifestFlow: provider.registration.manifestFlow === undefined ? null : `/install/${provider.id}/app`
    },
    scopes: provider.scopes,
    granularities: provider.granularities,
    defaultGranularity: defaultGranularityOf(provider),
    filters: provider.filters,
    tools: provider.tools.map((tool) => ({
      name: mcpToolName(provider.id, tool.name),
      title: tool.title,
      description: tool.description,
      scope: tool.scope,
      annotations: tool.annotations,
      inputSchema: tool.inputJsonSchema
    }))
  }
}

export const IntegrationRoutes = route(
  "GET",
  "/v1/integrations",
  Effect.map(Registry, (registry) => json(200, { integrations: registry.providers.map(describeProvider) }))
)
