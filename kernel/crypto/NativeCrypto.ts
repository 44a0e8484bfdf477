/**
 * Synchronous SHA-256 and HMAC-SHA256 a runtime may lend the kernel: Bun, Deno and Node have
 * them in `node:crypto` (`runtimes/shared/nodeCrypto.ts`), Workers (without `nodejs_compat`)
 * have only Web Crypto, which is the default. Web Crypto answers every call with a promise; on the
 * webhook path that is two waits per delivery (the signature and the replay digest) and, on Node,
 * a thread-pool job each, a measurable share of the acknowledgement (issue 14's bench). With a
 * native implementation both are computed in place, and the signature is compared in constant
 * time by `timingSafeEqual`.
 */
import { Context } from "effect"

export interface NativeCryptoImpl {
  readonly sha256Hex: (bytes: Uint8Array) => string
  /** A string key is used as its UTF-8 bytes, as Web Crypto's raw import of it. */
  readonly hmacSha256: (key: string | Uint8Array, message: Uint8Array) => Uint8Array
  /** Constant time; only called with inputs of the same length. */
  readonly timingSafeEqual: (left: Uint8Array, right: Uint8Array) => boolean
}

export const NativeCrypto = Context.Reference<NativeCryptoImpl | undefined>("switchboard/crypto/NativeCrypto", {
  defaultValue: () => undefined
})
