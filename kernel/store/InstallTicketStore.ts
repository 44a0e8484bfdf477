/**
 * Install tickets already redeemed, remembered until they expire: what makes a ticket single
 * use across requests and across instances sharing the database. `redeem` records a ticket id
 * and says whether it was new, in one statement, so of two requests racing with one ticket
 * exactly one wins.
 */
import { Context, type Effect } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { TenantId } from "../domain/Ids.ts"

export interface TicketRedemption {
  readonly tenantId: TenantId
  /** The ticket's `jti`. */
  readonly ticketId: string
  /** Epoch ms; past it the ticket is refused anyway, so the record may go. */
  readonly expiresAt: number
}

export class InstallTicketStore extends Context.Service<InstallTicketStore, {
  /** True the first time a ticket id is redeemed, false every time after. Also drops expired records. */
  readonly redeem: (redemption: TicketRedemption, now: number) => Effect.Effect<boolean, StoreError>
}>()("switchboard/store/InstallTicketStore") {}
