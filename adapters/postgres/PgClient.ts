/**
 * The Postgres `SqlClient` (`@effect/sql-pg`, a pooled wire-protocol client) as the stores need
 * it: BIGINT columns (epoch-ms timestamps, counts) read back as JS numbers rather than bigints,
 * since every store decodes them with `Schema.Number` on SQLite and D1 alike. Epoch ms stay far
 * below 2^53; a value past that fails the read instead of losing precision.
 */
import { PgClient, PgTypes } from "@effect/sql-pg"
import { Effect, Layer, Redacted, Result } from "effect"
import type { SqlClient, SqlError } from "effect/sql"

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` (also `postgresql://`). */
  readonly url: string
  /** Connections per instance (default 10): several instances share the server's limit. */
  readonly maxConnections?: number | undefined
}

/** The client binds integers past 32 bits as bigints; reads come back as numbers. */
const int8AsNumber: PgTypes.Codec<number | bigint> = {
  decode: (bytes) => {
    if (bytes.length !== 8) return Result.fail(new PgTypes.CodecError({ message: "int8 is 8 bytes" }))
    const value = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigInt64(0)
    return value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)
      ? Result.fail(new PgTypes.CodecError({ message: "int8 beyond a safe JS number" }))
      : Result.succeed(Number(value))
  },
  encode: (value) => {
    if (typeof value === "number" && !Number.isSafeInteger(value)) {
      return Result.fail(new PgTypes.CodecError({ message: "int8 needs a safe integer" }))
    }
    const bytes = new Uint8Array(8)
    new DataView(bytes.buffer).setBigInt64(0, BigInt(value))
    return Result.succeed(bytes)
  }
}

/** A registry of its own, so other Postgres clients in the process keep bigints. */
const types = (): PgTypes.Registry => {
  const registry = PgTypes.makeRegistry()
  registry.register(PgTypes.OID.int8, int8AsNumber)
  return registry
}

export const layer = (options: PostgresOptions): Layer.Layer<SqlClient.SqlClient | PgClient.PgClient, SqlError.SqlError> =>
  Layer.unwrap(Effect.sync(() =>
    PgClient.layer({
      url: Redacted.make(options.url),
      maxConnections: options.maxConnections ?? 10,
      applicationName: "switchboard",
      types: types()
    })
  ))
