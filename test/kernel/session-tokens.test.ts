import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { InstallationId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import { NativeCrypto, type NativeCryptoImpl } from "../../kernel/crypto/NativeCrypto.ts"
import { SessionTokens } from "../../kernel/vault/SessionTokens.ts"
import { nodeCryptoImpl } from "../../runtimes/shared/nodeCrypto.ts"

const claims = {
  tenantId: TenantId.make("ten_a"),
  publicationId: PublicationId.make("pub_a"),
  installationId: InstallationId.make("ins_a"),
  sessionKey: "linear:issue:1",
  scopes: ["issues:read"]
}

describe("SessionTokens", () => {
  it.effect("round-trips the claims", () =>
    Effect.gen(function*() {
      const tokens = SessionTokens.make(Redacted.make("k".repeat(32)), "http://sb")
      const minted = yield* tokens.mint(claims, 60)
      const verified = yield* tokens.verify(minted.token)
      expect(verified.tenantId).toBe("ten_a")
      expect(verified.scopes).toEqual(["issues:read"])
    }))

  it.effect("rejects another key, another issuer, a tampered payload and an expired token", () =>
    Effect.gen(function*() {
      const tokens = SessionTokens.make(Redacted.make("k".repeat(32)), "http://sb")
      const minted = yield* tokens.mint(claims, 60)
      const otherKey = SessionTokens.make(Redacted.make("x".repeat(32)), "http://sb")
      expect((yield* Effect.flip(otherKey.verify(minted.token))).reason).toBe("Invalid")
      const otherIssuer = SessionTokens.make(Redacted.make("k".repeat(32)), "http://other")
      expect((yield* Effect.flip(otherIssuer.verify(minted.token))).reason).toBe("Invalid")
      const [header, payload, signature] = minted.token.split(".")
      const forged = JSON.parse(atob(payload!.replace(/-/g, "+").replace(/_/g, "/")))
      forged.ten = "ten_b"
      const forgedPayload = btoa(JSON.stringify(forged)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
      expect((yield* Effect.flip(tokens.verify(`${header}.${forgedPayload}.${signature}`))).reason).toBe("Invalid")
      yield* TestClock.adjust("2 minutes")
      expect((yield* Effect.flip(tokens.verify(minted.token))).reason).toBe("Expired")
    }))
})

describe("SessionTokens with a synchronous HMAC", () => {
  it.effect("once the key is derived, mints in place the very token jose mints, which verifies", () =>
    Effect.gen(function*() {
      const tokens = SessionTokens.make(Redacted.make("n".repeat(32)), "http://sb")
      let nativeCalls = 0
      const counted: NativeCryptoImpl = {
        ...nodeCryptoImpl,
        hmacSha256: (key, message) => (nativeCalls++, nodeCryptoImpl.hmacSha256(key, message))
      }
      // The first token is jose's (the key is being derived); the clock stands still between the two.
      const byJose = yield* tokens.mint(claims, 60).pipe(Effect.provideService(NativeCrypto, counted))
      const inPlace = yield* tokens.mint(claims, 60).pipe(Effect.provideService(NativeCrypto, counted))
      expect(nativeCalls).toBe(1)
      expect(inPlace).toEqual(byJose)
      const verified = yield* tokens.verify(inPlace.token)
      expect(verified.sessionKey).toBe("linear:issue:1")
    }))
})
