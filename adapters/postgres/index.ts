/**
 * `switchboard/postgres`: the stores on Postgres for deployments of several instances sharing one
 * database (`StoresPg.layer`), the client (`PgClient.layer`, from a `postgres://` URL) and the
 * migrations with their runner (`PgMigrate.layer`). See the README's "Scaling out".
 */
export * as PgClient from "./PgClient.ts"
export * as PgMigrate from "./PgMigrate.ts"
export { migrations as postgresMigrations } from "./migrations/index.ts"
export * as StoresPg from "./StoresPg.ts"
