/**
 * `NativeCrypto` over `node:crypto`, for the runtimes that have it (Bun, Deno, Node; not the
 * Worker, which keeps Web Crypto): the webhook signature and digest computed in place instead of
 * through a promise per call.
 */
import { Layer } from "effect"
import { createHash, createHmac, timingSafeEqual } from "node:crypto"
import { NativeCrypto, type NativeCryptoImpl } from "../../kernel/crypto/NativeCrypto.ts"

export const nodeCryptoImpl: NativeCryptoImpl = {
  sha256Hex: (bytes) => createHash("sha256").update(bytes).digest("hex"),
  hmacSha256: (key, message) => createHmac("sha256", key).update(message).digest(),
  timingSafeEqual: (left, right) => timingSafeEqual(left, right)
}

export const nodeCrypto = Layer.succeed(NativeCrypto, nodeCryptoImpl)
