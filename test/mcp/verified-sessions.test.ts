import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { InstallationId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import { VerifiedSessions } from "../../kernel/mcp/VerifiedSessions.ts"
import { SessionTokens } from "../../kernel/vault/SessionTokens.ts"

const claims = {
  tenantId: TenantId.make("ten_a"),
  publicationId: PublicationId.make("pub_a"),
  installationId: InstallationId.make("ins_a"),
  sessionKey: "linear:issue:1",
  scopes: ["issues:read"]
}

/** Real session tokens, with each verification the cache asks for counted. */
const counted = () => {
  const tokens = SessionTokens.make(Redacted.make("k".repeat(32)), "http://sb")
  const calls = { count: 0 }
  const verify = (token: string) => Effect.suspend(() => {
    calls.count++
    return tokens.verify(token)
  })
  return { tokens, calls, verify }
}

describe("VerifiedSessions", () => {
  it.effect("verifies a token once, then answers from memory until it expires, and refuses it after", () =>
    Effect.gen(function*() {
      const { tokens, calls, verify } = counted()
      const cached = VerifiedSessions.make(verify)
      const minted = yield* tokens.mint(claims, 60)
      expect((yield* cached(minted.token)).tenantId).toBe("ten_a")
      expect((yield* cached(minted.token)).publicationId).toBe("pub_a")
      expect(calls.count).toBe(1)
      yield* TestClock.adjust("61 seconds")
      expect((yield* Effect.flip(cached(minted.token))).reason).toBe("Expired")
      expect(calls.count).toBe(2)
    }))

  it.effect("never remembers a refused token, and keeps at most its capacity", () =>
    Effect.gen(function*() {
      const { tokens, calls, verify } = counted()
      const cached = VerifiedSessions.make(verify, 1)
      expect((yield* Effect.flip(cached("not-a-token"))).reason).toBe("Invalid")
      expect((yield* Effect.flip(cached("not-a-token"))).reason).toBe("Invalid")
      expect(calls.count).toBe(2)
      const first = yield* tokens.mint(claims, 60)
      const second = yield* tokens.mint({ ...claims, sessionKey: "linear:issue:2" }, 60)
      yield* cached(first.token)
      yield* cached(second.token)
      // Capacity 1: the second token pushed the first out.
      expect((yield* cached(first.token)).sessionKey).toBe("linear:issue:1")
      expect(calls.count).toBe(5)
    }))
})
