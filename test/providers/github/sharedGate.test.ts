/**
 * GitHub's rate-limit gate across instances: two clients stand for two instances (each has its
 * own process gate) sharing the kernel's gate store. Once GitHub told one to wait, a call on the
 * other fails at once with the remaining wait and never reaches GitHub.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Schema } from "effect"
import { FetchHttpClient } from "effect/http"
import { tokenSet } from "../../../kernel/domain/Credentials.ts"
import { ProviderId } from "../../../kernel/domain/Ids.ts"
import type { PublicationContext } from "../../../kernel/provider/PublicationContext.ts"
import { RateLimitGateStore } from "../../../kernel/store/RateLimitGateStore.ts"
import { sharedGate } from "../../../kernel/tools/SharedGate.ts"
import * as GitHubClient from "../../../providers/github/tools/GitHubClient.ts"
import { serve } from "../../support/serve.ts"
import { storesInMemory } from "../../support/storesInMemory.ts"
import { installation, publication } from "../linear/fixtures.ts"

const call: GitHubClient.ToolCall = { method: "GET", path: "/repos/acme/widgets/issues/1", what: "get issue acme/widgets#1" }

/** GitHub answering every call with a secondary limit of a minute; counts what reached it. */
const limitedGitHub = Effect.acquireRelease(
  Effect.promise(async () => {
    const hits: Array<string> = []
    const served = await serve(async (request) => {
      hits.push(new URL(request.url).pathname)
      return new Response(JSON.stringify({ message: "You have exceeded a secondary rate limit" }), {
        status: 403,
        headers: { "content-type": "application/json", "retry-after": "60" }
      })
    })
    return { ...served, hits }
  }),
  (served) => Effect.promise(() => served.close())
)

const contextWith = (gate: PublicationContext["sharedGate"]): PublicationContext => ({
  installation: installation(),
  publication: publication(),
  sessionKey: "github:issue:acme/widgets#1",
  accessToken: Redacted.make("ghs_token"),
  tokens: tokenSet({ accessToken: "ghs_token", now: 0, scopes: [] }),
  sharedGate: gate
})

describe("GitHub rate-limit gate shared by instances", () => {
  it.effect("a limit one instance was told about refuses the other's call without reaching GitHub", () =>
    Effect.gen(function*() {
      const github = yield* limitedGitHub
      const gates = yield* RateLimitGateStore
      const context = contextWith(sharedGate(gates, ProviderId.make("github")))
      const first = yield* Effect.flip(GitHubClient.make(github.url).json(call, Schema.Unknown, context))
      expect(first).toMatchObject({ reason: "RateLimited", retryAfterSeconds: 60 })
      const other = yield* Effect.flip(GitHubClient.make(github.url).json(call, Schema.Unknown, context))
      expect(other.reason).toBe("RateLimited")
      expect(other.message).toContain("was not sent")
      expect(other.retryAfterSeconds).toBeGreaterThan(55)
      expect(github.hits).toHaveLength(1)
    }).pipe(Effect.scoped, Effect.provide(storesInMemory), Effect.provide(FetchHttpClient.layer)))

  it.effect("without the shared gate (a bare client), each instance learns the limit from GitHub itself", () =>
    Effect.gen(function*() {
      const github = yield* limitedGitHub
      const context = contextWith(undefined)
      yield* Effect.flip(GitHubClient.make(github.url).json(call, Schema.Unknown, context))
      yield* Effect.flip(GitHubClient.make(github.url).json(call, Schema.Unknown, context))
      expect(github.hits).toHaveLength(2)
    }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer)))
})
