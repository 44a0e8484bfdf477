/**
 * Every store port of the kernel over the generic `SqlClient`: the same layer serves SQLite
 * (Bun, Deno, Node) and D1, since no store needs a transaction. It does not migrate: provide
 * `Migrate.layer` (or run `wrangler d1 migrations apply`) first.
 */
import { Layer } from "effect"
import type { SqlClient } from "effect/sql"
import type { Stores } from "../../kernel/store/Stores.ts"
import * as ActivityStoreSql from "./stores/ActivityStoreSql.ts"
import * as AppRegistrationStoreSql from "./stores/AppRegistrationStoreSql.ts"
import * as InstallationStoreSql from "./stores/InstallationStoreSql.ts"
import * as InstallTicketStoreSql from "./stores/InstallTicketStoreSql.ts"
import * as OAuthStateStoreSql from "./stores/OAuthStateStoreSql.ts"
import * as OutboxStoreSql from "./stores/OutboxStoreSql.ts"
import * as PublicationStoreSql from "./stores/PublicationStoreSql.ts"
import * as RateLimitGateStoreSql from "./stores/RateLimitGateStoreSql.ts"
import * as RejectedWebhookStoreSql from "./stores/RejectedWebhookStoreSql.ts"
import * as SessionBindingStoreSql from "./stores/SessionBindingStoreSql.ts"
import * as TenantStoreSql from "./stores/TenantStoreSql.ts"
import * as WebhookEventStoreSql from "./stores/WebhookEventStoreSql.ts"

export type { Stores }

export const layer: Layer.Layer<Stores, never, SqlClient.SqlClient> = Layer.mergeAll(
  TenantStoreSql.layer,
  InstallationStoreSql.layer,
  OAuthStateStoreSql.layer,
  PublicationStoreSql.layer,
  WebhookEventStoreSql.layer,
  SessionBindingStoreSql.layer,
  OutboxStoreSql.layer,
  AppRegistrationStoreSql.layer,
  InstallTicketStoreSql.layer,
  RateLimitGateStoreSql.layer,
  RejectedWebhookStoreSql.layer,
  ActivityStoreSql.layer
)
