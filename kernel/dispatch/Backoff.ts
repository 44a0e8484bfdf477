/** Retry timing for outbox deliveries: exponential from 2 s, capped at 10 min, dead after 10 tries. */
export const MAX_ATTEMPTS = 10
const BASE_MS = 2_000
const CAP_MS = 10 * 60_000

/** When the next attempt is due after `attempts` failures, or null when the entry is dead. */
export const nextAttemptAt = (attempts: number, now: number): number | null =>
  attempts >= MAX_ATTEMPTS ? null : now + Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempts - 1))
