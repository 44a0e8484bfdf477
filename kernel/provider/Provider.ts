/**
 * The IntegrationProvider contract: the four questions every integration answers.
 *
 * - install: how a workspace is connected (OAuth and/or credential paste);
 * - webhook: how a signed vendor event is verified, decoded and mapped to session dispatches;
 * - tools: what the agent can do, each tool behind a publication scope;
 * - publication: which scopes and granularities exist, and which routing filters apply.
 *
 * A provider is built by an Effect (so it can read its Config once) and imports nothing from a
 * runtime, an adapter or another provider.
 */
import type { Effect } from "effect"
import type { Config } from "effect"
import type { ProviderId } from "../domain/Ids.ts"
import type { Granularity } from "../domain/Publication.ts"
import type { InstallMethod } from "./Install.ts"
import type { AppRegistrationMethod } from "./Registration.ts"
import type { Tool } from "./Tool.ts"
import type { WebhookDefinition } from "./Webhook.ts"

export interface ScopeDefinition {
  readonly name: string
  readonly description: string
}

export interface FilterDefinition {
  /** The key stored in `Publication.filters` (`team`, `repo`, `channel` ...). */
  readonly key: string
  readonly description: string
}

export interface IntegrationProvider {
  readonly id: ProviderId
  readonly displayName: string
  readonly description: string
  readonly install: ReadonlyArray<InstallMethod>
  /** Tenant-owned apps (GitHub Apps, a tenant's Slack app); absent when only the deployment's app exists. */
  readonly registration?: AppRegistrationMethod | undefined
  /** Declared with `defineWebhook`: the kernel verifies, parses, routes, stores and decides with it. */
  readonly webhook: WebhookDefinition
  readonly tools: ReadonlyArray<Tool>
  readonly scopes: ReadonlyArray<ScopeDefinition>
  readonly granularities: ReadonlyArray<Granularity>
  /**
   * The vendor's natural unit of work (a Slack thread, a GitHub or Jira issue), one of
   * `granularities`: what a publication gets when it names none. Absent: the first granularity.
   */
  readonly defaultGranularity?: Granularity | undefined
  readonly filters: ReadonlyArray<FilterDefinition>
}

/** How a deployment lists its providers: `Registry.layer([LinearProvider.make, ...])`. */
export type ProviderFactory = Effect.Effect<IntegrationProvider, Config.ConfigError>

/** The granularity a publication of this provider gets when it names none. */
export const defaultGranularityOf = (provider: IntegrationProvider): Granularity =>
  provider.defaultGranularity ?? provider.granularities[0] ?? "workspace"

/** The full MCP name of a provider's tool. */
export const mcpToolName = (providerId: string, toolName: string): string => `mcp_${providerId}_${toolName}`
