/**
 * Switches a test flips to make a fake fail the next calls instead of working (a vendor error,
 * a rate limit with Retry-After, an outage), so a provider's error mapping can be exercised.
 */
import { json } from "./FakeResponses.ts"

/** A failure the fake answers with instead of doing the work. */
export interface Fault {
  readonly status: number
  readonly body: unknown
  readonly headers?: Readonly<Record<string, string>> | undefined
}

export interface Faults {
  /** Every API call answers this until cleared (`false`): a rate limit, an outage. */
  readonly setAlways: (fault: Fault | false) => void
  /** The next `count` API calls answer this, then the fake behaves again. */
  readonly failNext: (fault: Fault, count?: number) => void
  /** The fault for this call, if any (consumes one of `failNext`). */
  readonly take: () => Fault | undefined
  readonly clear: () => void
}

export const makeFaults = (): Faults => {
  let always: Fault | undefined
  const queue: Array<Fault> = []
  return {
    setAlways: (fault) => {
      always = fault === false ? undefined : fault
    },
    failNext: (fault, count = 1) => {
      for (let index = 0; index < count; index++) queue.push(fault)
    },
    take: () => queue.shift() ?? always,
    clear: () => {
      always = undefined
      queue.length = 0
    }
  }
}

export const faultResponse = (fault: Fault): Response => json(fault.status, fault.body, fault.headers)
