import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { signSession, verifySessionSignature } from "../../../adapters/sink/SessionSignature.ts"
import { NativeCrypto, type NativeCryptoImpl } from "../../../kernel/crypto/NativeCrypto.ts"
import { nodeCryptoImpl } from "../../../runtimes/shared/nodeCrypto.ts"
import { signingKey } from "./fixtures.ts"

const body = JSON.stringify({ hello: "world" })
const t = 1_700_000_000

const reasonOf = (effect: Effect.Effect<void, { readonly reason: string }>) =>
  effect.pipe(Effect.flip, Effect.map((error) => error.reason))

describe("SessionSignature", () => {
  it.effect("accepts its own signature within the window", () =>
    Effect.gen(function*() {
      const header = yield* signSession(Redacted.make(signingKey), body, t)
      assert.match(header, /^t=1700000000,v1=[0-9a-f]{64}$/)
      yield* verifySessionSignature(signingKey, header, body, (t + 299) * 1000)
      yield* verifySessionSignature(Redacted.make(signingKey), header, new TextEncoder().encode(body), t * 1000)
    }))

  it.effect("with a synchronous HMAC (once the key is derived), the same signature as Web Crypto's", () =>
    Effect.gen(function*() {
      const secret = "native-signing-key-0123456789abcdef"
      let nativeCalls = 0
      const counted: NativeCryptoImpl = {
        ...nodeCryptoImpl,
        hmacSha256: (key, message) => (nativeCalls++, nodeCryptoImpl.hmacSha256(key, message))
      }
      const web = yield* signSession(secret, body, t)
      const native = yield* signSession(secret, body, t).pipe(Effect.provideService(NativeCrypto, counted))
      assert.strictEqual(nativeCalls, 1)
      assert.strictEqual(native, web)
      yield* verifySessionSignature(secret, native, body, t * 1000)
    }))

  it.effect("rejects a changed body, another key, a stale or future timestamp", () =>
    Effect.gen(function*() {
      const header = yield* signSession(signingKey, body, t)
      assert.strictEqual(yield* reasonOf(verifySessionSignature(signingKey, header, body + " ", t * 1000)), "BadSignature")
      assert.strictEqual(yield* reasonOf(verifySessionSignature("other-key", header, body, t * 1000)), "BadSignature")
      assert.strictEqual(
        yield* reasonOf(verifySessionSignature(signingKey, header, body, (t + 301) * 1000)),
        "StaleTimestamp"
      )
      assert.strictEqual(
        yield* reasonOf(verifySessionSignature(signingKey, header, body, (t - 301) * 1000)),
        "StaleTimestamp"
      )
      assert.strictEqual(yield* reasonOf(verifySessionSignature(signingKey, header, body, (t + 20) * 1000, 10)), "StaleTimestamp")
    }))

  it.effect("rejects missing and malformed headers", () =>
    Effect.gen(function*() {
      const now = t * 1000
      assert.strictEqual(yield* reasonOf(verifySessionSignature(signingKey, undefined, body, now)), "Missing")
      assert.strictEqual(yield* reasonOf(verifySessionSignature(signingKey, "", body, now)), "Missing")
      for (const header of ["garbage", "t=abc,v1=00", "v1=00", "t=1700000000", "t=1,t=2,v1=00"]) {
        assert.strictEqual(yield* reasonOf(verifySessionSignature(signingKey, header, body, now)), "Malformed", header)
      }
      assert.strictEqual(
        yield* reasonOf(verifySessionSignature(signingKey, `t=${t},v1=zz`, body, now)),
        "BadSignature"
      )
    }))

  it.effect("accepts when any of several v1 signatures matches (rotation)", () =>
    Effect.gen(function*() {
      const current = yield* signSession(signingKey, body, t)
      const old = yield* signSession("old-key", body, t)
      const header = `${old},v1=${current.split("v1=")[1]}`
      yield* verifySessionSignature(signingKey, header, body, t * 1000)
    }))
})
