/**
 * `OAuthStateStore` over any `SqlClient`. `take` is DELETE ... RETURNING: one statement, so of
 * two callbacks racing with the same state exactly one gets it. Keyed by the random state alone,
 * since the callback does not know its tenant until it has taken the state.
 */
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { OAuthState } from "../../../kernel/domain/OAuthState.ts"
import { OAuthStateStore } from "../../../kernel/store/OAuthStateStore.ts"
import { decodeFirst, storeOperation } from "./SqlRows.ts"

const OAuthStateRow = OAuthState.pipe(Schema.encodeKeys({
  tenantId: "tenant_id",
  providerId: "provider_id",
  codeVerifier: "code_verifier",
  returnUrl: "return_url",
  registrationId: "registration_id",
  expiresAt: "expires_at",
  createdAt: "created_at"
}))

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const encode = Schema.encodeEffect(OAuthStateRow)

  const insert = (state: OAuthState) =>
    encode(state).pipe(
      Effect.flatMap((row) => sql`INSERT INTO oauth_state ${sql.insert(row)}`),
      Effect.asVoid,
      storeOperation("OAuthStateStore.insert")
    )

  const take = (state: string) =>
    sql`DELETE FROM oauth_state WHERE state = ${state} RETURNING *`.pipe(
      Effect.flatMap(decodeFirst(OAuthStateRow)),
      storeOperation("OAuthStateStore.take")
    )

  // A state is expired from its expiry instant on.
  const deleteExpired = (now: number) =>
    sql`DELETE FROM oauth_state WHERE expires_at <= ${now} RETURNING state`.pipe(
      Effect.map((rows) => rows.length),
      storeOperation("OAuthStateStore.deleteExpired")
    )

  return OAuthStateStore.of({ insert, take, deleteExpired })
})

export const layer: Layer.Layer<OAuthStateStore, never, SqlClient.SqlClient> = Layer.effect(OAuthStateStore, make)
