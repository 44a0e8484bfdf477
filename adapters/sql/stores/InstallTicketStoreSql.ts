/**
 * `InstallTicketStore` over any `SqlClient`. `redeem` is INSERT ... ON CONFLICT DO NOTHING
 * RETURNING: a row comes back only to the first redemption of an id, whoever races it. Expired
 * records are dropped on the way (a ticket past its expiry fails its own check first).
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { InstallTicketStore, type TicketRedemption } from "../../../kernel/store/InstallTicketStore.ts"
import { storeOperation } from "./SqlRows.ts"

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const redeem = (redemption: TicketRedemption, now: number) =>
    Effect.gen(function*() {
      yield* sql`DELETE FROM install_ticket_redemptions WHERE expires_at <= ${now}`
      const rows = yield* sql`INSERT INTO install_ticket_redemptions (ticket_id, tenant_id, expires_at, redeemed_at)
        VALUES (${redemption.ticketId}, ${redemption.tenantId}, ${redemption.expiresAt}, ${now})
        ON CONFLICT (ticket_id) DO NOTHING
        RETURNING ticket_id`
      return rows.length === 1
    }).pipe(storeOperation("InstallTicketStore.redeem"))

  return InstallTicketStore.of({ redeem })
})

export const layer: Layer.Layer<InstallTicketStore, never, SqlClient.SqlClient> = Layer.effect(InstallTicketStore, make)
