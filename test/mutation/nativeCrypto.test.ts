/**
 * `NativeCrypto` (node:crypto on Bun, Deno and Node) and Web Crypto (the Worker, and the default)
 * must give the same answers: the same signatures accepted and refused, rotation honoured, the
 * same replay digest.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { signHmacSha256, verifyHmacSha256 } from "../../kernel/crypto/Hmac.ts"
import { NativeCrypto, type NativeCryptoImpl } from "../../kernel/crypto/NativeCrypto.ts"
import { sha256Hex } from "../../kernel/encoding/Encoding.ts"
import { nodeCrypto, nodeCryptoImpl } from "../../runtimes/shared/nodeCrypto.ts"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { signLinearWebhook } from "../../sandbox/fakes/linear/sign.ts"
import { NOW, rawWebhook, receiver, WEBHOOK_SECRET } from "../providers/linear/fixtures.ts"

const engines: ReadonlyArray<readonly [string, NativeCryptoImpl | undefined]> = [
  ["Web Crypto", undefined],
  ["node:crypto", nodeCryptoImpl]
]

const current = Redacted.make("current-secret")
const previous = Redacted.make("previous-secret")
const message = new TextEncoder().encode(JSON.stringify({ hello: "world", n: 1 }))

describe.each(engines)("HMAC and digest on %s", (_name, engine) => {
  const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.provideService(effect, NativeCrypto, engine)

  it.effect("accepts the signature under any configured secret, and nothing else", () =>
    run(Effect.gen(function*() {
      const byCurrent = yield* signHmacSha256(current, message)
      const byPrevious = yield* signHmacSha256(previous, message)
      expect(yield* verifyHmacSha256([current, previous], message, byCurrent)).toBe(true)
      expect(yield* verifyHmacSha256([current, previous], message, byPrevious)).toBe(true)
      expect(yield* verifyHmacSha256([current], message, byPrevious)).toBe(false)
      const flipped = new Uint8Array(byCurrent)
      flipped[31] = flipped[31]! ^ 1
      expect(yield* verifyHmacSha256([current, previous], message, flipped)).toBe(false)
      expect(yield* verifyHmacSha256([current], message.subarray(1), byCurrent)).toBe(false)
      expect(yield* verifyHmacSha256([current], message, byCurrent.subarray(0, 31))).toBe(false)
      expect(yield* verifyHmacSha256([], message, byCurrent)).toBe(false)
    })))

  it.effect("verifies a delivery and digests its body as Web Crypto does", () =>
    run(Effect.gen(function*() {
      const signed = yield* signLinearWebhook({ secret: WEBHOOK_SECRET, payload: agentSessionCreated(), timestamp: NOW })
      const raw = rawWebhook(signed)
      const decoded = yield* receiver().receive(raw, Option.none())
      expect(decoded.contentDigest).toBe(yield* Effect.promise(() => sha256Hex(raw.body)))
      const forged = rawWebhook({ ...signed, body: signed.body.replace("created", "prompted") })
      const refused = yield* Effect.flip(receiver().receive(forged, Option.none()))
      expect(refused.reason).toBe("BadSignature")
      expect((yield* receiver().reread(raw)).contentDigest).toBe(decoded.contentDigest)
    })))
})

it.effect("the runtimes' nodeCrypto layer provides a digest equal to Web Crypto's", () =>
  Effect.gen(function*() {
    const native = yield* NativeCrypto
    expect(native?.sha256Hex(message)).toBe(yield* Effect.promise(() => sha256Hex(message)))
  }).pipe(Effect.provide(nodeCrypto)))
