/**
 * GitHub's rate limits, as its REST docs describe them.
 *
 * - Primary: 403 or 429 with `x-ratelimit-remaining: 0`; nothing succeeds before
 *   `x-ratelimit-reset` (epoch seconds).
 * - Secondary: 403 or 429 whose message says "secondary rate limit" (older answers say
 *   "abuse"); wait `retry-after` seconds when sent, else until the reset when the remaining
 *   count is 0, else at least a minute.
 *
 * Requests made while limited count against the integration and may get it banned, so the
 * `RateLimitGate` remembers, per installation, until when GitHub said to wait: calls in that
 * window fail at once with the remaining wait instead of reaching GitHub. It lives in the
 * provider instance (one per isolate or process); GitHubClient also shares it with the other
 * instances through the kernel's shared gate.
 */
import { Option } from "effect"
import type { RestAnswer } from "../GitHubHttp.ts"

/** What GitHub documents as the wait when a secondary limit names none. */
export const DEFAULT_SECONDARY_WAIT_SECONDS = 60

export interface RateLimit {
  readonly kind: "primary" | "secondary"
  readonly retryAfterSeconds: number
}

const numberHeader = (answer: RestAnswer, name: string): Option.Option<number> =>
  Option.fromNullishOr(answer.headers[name]).pipe(
    Option.map((value) => Number(value.trim())),
    Option.filter((value) => Number.isFinite(value) && value >= 0)
  )

const secondsUntilReset = (answer: RestAnswer, now: number): Option.Option<number> =>
  Option.map(numberHeader(answer, "x-ratelimit-reset"), (reset) => Math.max(1, Math.ceil(reset - now / 1000)))

/** The limit this answer reports, if it is a rate-limit answer at all (a bare 403 is a permission). */
export const rateLimitOf = (answer: RestAnswer, message: string, now: number): Option.Option<RateLimit> => {
  if (answer.status !== 403 && answer.status !== 429) return Option.none()
  const retryAfter = Option.map(numberHeader(answer, "retry-after"), (seconds) => Math.max(1, Math.ceil(seconds)))
  const exhausted = Option.exists(numberHeader(answer, "x-ratelimit-remaining"), (remaining) => remaining === 0)
  const saysSecondary = /secondary rate limit|abuse/i.test(message)
  if (!saysSecondary && exhausted) {
    return Option.some({
      kind: "primary",
      retryAfterSeconds: Option.getOrElse(Option.orElse(secondsUntilReset(answer, now), () => retryAfter), () => 60)
    })
  }
  if (saysSecondary || Option.isSome(retryAfter) || answer.status === 429) {
    const wait = Option.firstSomeOf([
      retryAfter,
      exhausted ? secondsUntilReset(answer, now) : Option.none<number>()
    ]).pipe(Option.getOrElse(() => DEFAULT_SECONDARY_WAIT_SECONDS))
    return Option.some({ kind: "secondary", retryAfterSeconds: wait })
  }
  return Option.none()
}

export interface RateLimitGate {
  /** Seconds still to wait for `key`, if GitHub asked it to wait. */
  readonly waitFor: (key: string, now: number) => Option.Option<number>
  readonly block: (key: string, until: number) => void
}

export const makeGate = (): RateLimitGate => {
  const blockedUntil = new Map<string, number>()
  return {
    waitFor: (key, now) => {
      const until = blockedUntil.get(key)
      if (until === undefined) return Option.none()
      if (until <= now) {
        blockedUntil.delete(key)
        return Option.none()
      }
      return Option.some(Math.max(1, Math.ceil((until - now) / 1000)))
    },
    block: (key, until) => {
      blockedUntil.set(key, Math.max(until, blockedUntil.get(key) ?? 0))
    }
  }
}
