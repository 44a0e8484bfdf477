/**
 * Every store port of the kernel on Postgres: the SQL stores of `adapters/sql` wherever the
 * dialect allows (all but the outbox's claims; ActivityStoreSql picks its Postgres SQL itself),
 * `stores/OutboxStorePg.ts` for the outbox, a `DatabaseHealth` for `/health`, and a
 * `LimitBucketStore`, so that the per-minute limits are shared by every instance on the database
 * (`kernel/limits/Limits.ts`). It does not migrate: provide `PgMigrate.layer` first.
 */
import { Layer } from "effect"
import type { SqlClient } from "effect/sql"
import { DatabaseHealth } from "../../kernel/store/DatabaseHealth.ts"
import type { LimitBucketStore } from "../../kernel/store/LimitBucketStore.ts"
import type { Stores } from "../../kernel/store/Stores.ts"
import * as ActivityStoreSql from "../sql/stores/ActivityStoreSql.ts"
import * as AppRegistrationStoreSql from "../sql/stores/AppRegistrationStoreSql.ts"
import * as InstallationStoreSql from "../sql/stores/InstallationStoreSql.ts"
import * as InstallTicketStoreSql from "../sql/stores/InstallTicketStoreSql.ts"
import * as LimitBucketStoreSql from "../sql/stores/LimitBucketStoreSql.ts"
import * as OAuthStateStoreSql from "../sql/stores/OAuthStateStoreSql.ts"
import * as PublicationStoreSql from "../sql/stores/PublicationStoreSql.ts"
import * as RateLimitGateStoreSql from "../sql/stores/RateLimitGateStoreSql.ts"
import * as RejectedWebhookStoreSql from "../sql/stores/RejectedWebhookStoreSql.ts"
import * as SessionBindingStoreSql from "../sql/stores/SessionBindingStoreSql.ts"
import * as TenantStoreSql from "../sql/stores/TenantStoreSql.ts"
import * as WebhookEventStoreSql from "../sql/stores/WebhookEventStoreSql.ts"
import * as PgHealth from "./PgHealth.ts"
import * as OutboxStorePg from "./stores/OutboxStorePg.ts"

export const layer: Layer.Layer<Stores | DatabaseHealth | LimitBucketStore, never, SqlClient.SqlClient> = Layer.mergeAll(
  TenantStoreSql.layer,
  InstallationStoreSql.layer,
  OAuthStateStoreSql.layer,
  PublicationStoreSql.layer,
  WebhookEventStoreSql.layer,
  SessionBindingStoreSql.layer,
  OutboxStorePg.layer,
  AppRegistrationStoreSql.layer,
  InstallTicketStoreSql.layer,
  RateLimitGateStoreSql.layer,
  RejectedWebhookStoreSql.layer,
  ActivityStoreSql.layer,
  LimitBucketStoreSql.layer,
  PgHealth.layer
)
