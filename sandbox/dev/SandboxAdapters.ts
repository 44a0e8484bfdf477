/**
 * The sandbox table: one adapter per provider that has a local fake. The dev command serves a
 * fake for each, the Console offers their events under "Simulate", and `switchboard simulate`
 * signs their webhooks. A provider without an entry still works in the dev command; it just has
 * no offline fake.
 */
import { jiraSandbox } from "./JiraSandbox.ts"
import { githubSandbox } from "./GitHubSandbox.ts"
import { linearSandbox } from "./LinearSandbox.ts"
import type { SandboxAdapter } from "./Sandbox.ts"
import { slackSandbox } from "./SlackSandbox.ts"

export const sandboxAdapters: ReadonlyArray<SandboxAdapter> = [linearSandbox, slackSandbox, githubSandbox, jiraSandbox]

export const sandboxAdapter = (providerId: string): SandboxAdapter | undefined =>
  sandboxAdapters.find((adapter) => adapter.providerId === providerId)
