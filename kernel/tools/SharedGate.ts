/**
 * The `SharedGate` the kernel hands each tool call (`PublicationContext.sharedGate`): one
 * provider's rate-limit gates in the store every instance shares. Reads and writes never fail the
 * call: a gate the store cannot read is open (logged), one it cannot write stays this process's.
 */
import { Effect, Option } from "effect"
import type { ProviderId } from "../domain/Ids.ts"
import type { SharedGate } from "../provider/PublicationContext.ts"
import type { RateLimitGateStore } from "../store/RateLimitGateStore.ts"

export const sharedGate = (gates: RateLimitGateStore["Service"], providerId: ProviderId): SharedGate => ({
  blockedUntil: (key, now) =>
    gates.blockedUntil(providerId, key, now).pipe(
      Effect.catch((error) => Effect.as(Effect.logWarning("rate-limit gate unreadable", error.message), Option.none()))
    ),
  block: (key, until) =>
    gates.block(providerId, key, until).pipe(
      Effect.catch((error) => Effect.logWarning("rate-limit gate not shared", error.message))
    )
})
