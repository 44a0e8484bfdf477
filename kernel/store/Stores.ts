/** Every store port the kernel needs: what a storage engine's layer provides. */
import type { ActivityStore } from "./ActivityStore.ts"
import type { AppRegistrationStore } from "./AppRegistrationStore.ts"
import type { InstallationStore } from "./InstallationStore.ts"
import type { InstallTicketStore } from "./InstallTicketStore.ts"
import type { OAuthStateStore } from "./OAuthStateStore.ts"
import type { OutboxStore } from "./OutboxStore.ts"
import type { PublicationStore } from "./PublicationStore.ts"
import type { RateLimitGateStore } from "./RateLimitGateStore.ts"
import type { RejectedWebhookStore } from "./RejectedWebhookStore.ts"
import type { SessionBindingStore } from "./SessionBindingStore.ts"
import type { TenantStore } from "./TenantStore.ts"
import type { WebhookEventStore } from "./WebhookEventStore.ts"

export type Stores =
  | TenantStore
  | InstallationStore
  | OAuthStateStore
  | PublicationStore
  | WebhookEventStore
  | SessionBindingStore
  | OutboxStore
  | AppRegistrationStore
  | InstallTicketStore
  | RateLimitGateStore
  | RejectedWebhookStore
  | ActivityStore
