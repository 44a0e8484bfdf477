/**
 * `SqlClient` from a Workers D1 binding, through @effect/sql-d1 (also provided as `D1Client`, for
 * its atomic `batch`). D1 has no interactive transactions: `withTransaction` dies here by design,
 * which is why the SQL stores use single statements (ON CONFLICT, UPDATE/DELETE ... RETURNING).
 * Not supported: transactions, streaming, name transforms.
 */
import { D1Client } from "@effect/sql-d1"
import { Context, Effect, Layer } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"

export interface D1Options {
  /** The `D1Database` binding from the Worker's env. */
  readonly db: D1Client.D1ClientConfig["db"]
}

export const layer = (options: D1Options): Layer.Layer<D1Client.D1Client | SqlClient.SqlClient> =>
  Layer.effectContext(
    Effect.map(
      D1Client.make({ db: options.db }),
      (client) => Context.make(D1Client.D1Client, client).pipe(Context.add(SqlClient.SqlClient, client))
    )
  ).pipe(Layer.provide(Reactivity.layer))
