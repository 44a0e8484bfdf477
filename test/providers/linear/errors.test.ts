/**
 * Linear's error answers mapped to ToolError reasons: `extensions.code` decides first (Linear
 * also reports errors with HTTP 200 and 400), the HTTP status when the code says nothing, and
 * rate limits always carry a wait.
 */
import { describe, expect, it } from "@effect/vitest"
import type { GraphQLError } from "../../../providers/linear/LinearErrors.ts"
import {
  DEFAULT_RETRY_AFTER_SECONDS,
  exhaustedBudgets,
  retryAfterSeconds,
  toToolError
} from "../../../providers/linear/LinearErrors.ts"

const NOW = 1_800_000_000_000

const error = (code: string | null, message = "boom", type?: string): GraphQLError => ({
  message,
  extensions: { code, type: type ?? null, userPresentableMessage: null }
})

const map = (status: number, errors: ReadonlyArray<GraphQLError>, headers: Record<string, string> = {}) =>
  toToolError({ status, headers, errors, now: NOW })

describe("LinearErrors.toToolError", () => {
  it("maps Linear's codes whatever the HTTP status", () => {
    expect(map(200, [error("AUTHENTICATION_ERROR")]).reason).toBe("Unauthorized")
    expect(map(400, [error("FORBIDDEN")]).reason).toBe("Forbidden")
    expect(map(400, [error("RATELIMITED")]).reason).toBe("RateLimited")
    expect(map(200, [error("INVALID_INPUT", "Argument Validation Error")]).reason).toBe("InvalidInput")
    expect(map(400, [error("INVALID_INPUT", "Entity not found: Issue")]).reason).toBe("NotFound")
    expect(map(200, [error("INTERNAL_SERVER_ERROR")]).reason).toBe("VendorError")
  })

  it("falls back to extensions.type, then to the HTTP status", () => {
    expect(map(400, [error(null, "x", "authentication error")]).reason).toBe("Unauthorized")
    expect(map(401, []).reason).toBe("Unauthorized")
    expect(map(403, [error("SOMETHING_NEW")]).reason).toBe("Forbidden")
    expect(map(429, []).reason).toBe("RateLimited")
    expect(map(400, []).reason).toBe("InvalidInput")
    expect(map(503, []).reason).toBe("VendorError")
    expect(map(200, [error("SOMETHING_NEW")]).reason).toBe("VendorError")
  })

  it("keeps Linear's message and code in the ToolError message", () => {
    const mapped = map(401, [{ message: "Authentication required", extensions: { code: "AUTHENTICATION_ERROR" } }])
    expect(mapped.message).toContain("AUTHENTICATION_ERROR: Authentication required")
    expect(mapped.message).toContain("reconnected")
  })

  it("a rate limit always says how long to wait", () => {
    expect(map(429, [error("RATELIMITED")], { "retry-after": "30" }).retryAfterSeconds).toBe(30)
    expect(map(429, [error("RATELIMITED")]).retryAfterSeconds).toBe(DEFAULT_RETRY_AFTER_SECONDS)
    expect(map(400, [error("FORBIDDEN")]).retryAfterSeconds).toBeUndefined()
  })
})

describe("LinearErrors.retryAfterSeconds", () => {
  it("prefers Retry-After, then the request reset, then the complexity reset (epoch ms)", () => {
    expect(retryAfterSeconds({ "retry-after": "2.5", "x-ratelimit-requests-reset": String(NOW + 90_000) }, NOW)).toBe(3)
    expect(retryAfterSeconds({ "x-ratelimit-requests-reset": String(NOW + 90_000) }, NOW)).toBe(90)
    expect(retryAfterSeconds({ "x-ratelimit-complexity-reset": String(NOW + 5_000) }, NOW)).toBe(5)
  })

  it("reads a reset in epoch seconds too, and never answers less than a second", () => {
    expect(retryAfterSeconds({ "x-ratelimit-requests-reset": String(NOW / 1000 + 12) }, NOW)).toBe(12)
    expect(retryAfterSeconds({ "x-ratelimit-requests-reset": String(NOW - 5_000) }, NOW)).toBe(1)
    expect(retryAfterSeconds({ "retry-after": "soon" }, NOW)).toBe(DEFAULT_RETRY_AFTER_SECONDS)
  })
})

describe("Linear's rate-limit budgets", () => {
  const spent = (budget: string, resetInMs: number) => ({
    [`x-ratelimit-${budget}-remaining`]: "0",
    [`x-ratelimit-${budget}-reset`]: String(NOW + resetInMs)
  })

  it("RATELIMITED with HTTP 400, as Linear sends it, is RateLimited", () => {
    const mapped = map(400, [error("RATELIMITED", "Rate limit exceeded")], spent("requests", 30_000))
    expect(mapped.reason).toBe("RateLimited")
    expect(mapped.retryAfterSeconds).toBe(30)
    expect(mapped.message).toContain("requests budget spent")
  })

  it("waits for the budget that is spent, not the first reset header", () => {
    const headers = {
      "x-ratelimit-requests-remaining": "4200",
      "x-ratelimit-requests-reset": String(NOW + 5_000),
      ...spent("complexity", 90_000)
    }
    expect(exhaustedBudgets(headers)).toEqual(["complexity"])
    expect(retryAfterSeconds(headers, NOW)).toBe(90)
    expect(map(400, [error("RATELIMITED")], headers).message).toContain("complexity budget spent")
  })

  it("when several budgets are spent, waits for the last to refill; endpoint limits count", () => {
    const headers = { ...spent("requests", 10_000), ...spent("endpoint-requests", 70_000) }
    expect(exhaustedBudgets(headers)).toEqual(["requests", "endpoint"])
    expect(retryAfterSeconds(headers, NOW)).toBe(70)
  })
})
