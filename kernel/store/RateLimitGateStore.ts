/**
 * Rate-limit gates shared by every instance on the database: until when a vendor asked a key (for
 * GitHub, an installation's budget) to wait. A provider closes the gate when told to wait; every
 * instance then refuses calls in that window, not only the one that was told, so a limit does not
 * meet one more request per instance. A later close wins; an earlier one changes nothing.
 */
import { Context, type Effect, type Option } from "effect"
import type { StoreError } from "../domain/Errors.ts"
import type { ProviderId } from "../domain/Ids.ts"

export class RateLimitGateStore extends Context.Service<RateLimitGateStore, {
  /** When the gate of `key` opens again, if that is after `now`. */
  readonly blockedUntil: (providerId: ProviderId, key: string, now: number) => Effect.Effect<Option.Option<number>, StoreError>
  /** Closes the gate of `key` until `until`, unless it is closed until later already. */
  readonly block: (providerId: ProviderId, key: string, until: number) => Effect.Effect<void, StoreError>
}>()("switchboard/store/RateLimitGateStore") {}
