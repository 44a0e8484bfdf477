/**
 * Rate limits in the fake, shaped as GitHub documents them. Every REST answer to an
 * installation carries the `x-ratelimit-*` headers. A forced limit answers the next `count`
 * installation requests with either the primary limit (403, `x-ratelimit-remaining: 0`, reset
 * in the future) or the secondary limit (403 or 429, GitHub's "secondary rate limit" message,
 * `retry-after` when set); the forced answers are logged like any request, so a test can count
 * how often the provider came back while it was told to wait.
 */
import { failure } from "./FakeGitHubHttp.ts"
import type { FakeGitHubState } from "./FakeGitHubState.ts"

export const PRIMARY_MESSAGE = (installationId: number) => `API rate limit exceeded for installation ID ${installationId}.`

export const SECONDARY_MESSAGE = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
  "If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000."

export const rateHeaders = (state: FakeGitHubState, remaining: number): Record<string, string> => ({
  "x-ratelimit-limit": "5000",
  "x-ratelimit-remaining": String(remaining),
  "x-ratelimit-used": String(5000 - remaining),
  "x-ratelimit-reset": String(Math.floor(state.now() / 1000) + 3600),
  "x-ratelimit-resource": "core"
})

/** The forced limit's answer for this request, if one is armed. */
export const limitedAnswer = (state: FakeGitHubState, installationId: number): Response | undefined => {
  const limit = state.forcedLimit
  if (limit === null || limit.remaining <= 0) return undefined
  limit.remaining -= 1
  if (limit.remaining === 0) state.forcedLimit = null
  const reset = String(Math.floor(state.now() / 1000) + limit.resetInSeconds)
  if (limit.kind === "primary") {
    return failure(limit.status, PRIMARY_MESSAGE(installationId), {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-used": "5000",
      "x-ratelimit-reset": reset,
      "x-ratelimit-resource": "core"
    }, { documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit" })
  }
  return failure(limit.status, SECONDARY_MESSAGE, {
    ...rateHeaders(state, 4000),
    ...(limit.retryAfterSeconds === null ? {} : { "retry-after": String(limit.retryAfterSeconds) })
  }, { documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" })
}
