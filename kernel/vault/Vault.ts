/**
 * Encryption at rest for installation secrets: AES-256-GCM on Web Crypto.
 *
 * The key id is stored beside each ciphertext so keys can rotate (the first configured key
 * seals, every configured key opens). Each ciphertext is bound to its row through the
 * additional authenticated data (tenant, installation), so a ciphertext copied to another row
 * fails to open. Plaintext never leaves this module except as `Redacted`.
 */
import { Context, Effect, Layer, Redacted } from "effect"
import { VaultError } from "../domain/Errors.ts"
import { KernelConfig } from "../KernelConfig.ts"
import type { Sealed } from "../store/Sealed.ts"
import { base64UrlDecode, base64UrlEncode, base64Decode } from "../encoding/Encoding.ts"

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const IV_BYTES = 12

export class Vault extends Context.Service<Vault, {
  /** Encrypts `plaintext` bound to `binding` (e.g. `tenant/installation`). */
  readonly seal: (plaintext: Redacted.Redacted<string>, binding: string) => Effect.Effect<Sealed, VaultError>
  readonly open: (sealed: Sealed, binding: string) => Effect.Effect<Redacted.Redacted<string>, VaultError>
}>()("switchboard/vault/Vault") {
  static readonly make = Effect.fnUntraced(function*(keys: ReadonlyArray<{ readonly id: string; readonly key: Redacted.Redacted<string> }>) {
    if (keys.length === 0) {
      return yield* new VaultError({ reason: "NotConfigured", message: "SWITCHBOARD_VAULT_KEYS has no key" })
    }
    const imported = new Map<string, CryptoKey>()
    for (const { id, key } of keys) {
      const raw = base64Decode(Redacted.value(key))
      if (raw === undefined || raw.length !== 32) {
        return yield* new VaultError({
          reason: "NotConfigured",
          message: `Vault key "${id}" must be 32 bytes, base64-encoded`
        })
      }
      const cryptoKey = yield* Effect.promise(() =>
        // Stryker disable next-line BooleanLiteral: the key never leaves this closure, so nothing could export it
        crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"])
      )
      imported.set(id, cryptoKey)
    }
    const [current] = keys
    const currentKey = imported.get(current!.id)!

    const seal = (plaintext: Redacted.Redacted<string>, binding: string) =>
      Effect.promise(async (): Promise<Sealed> => {
        const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
        const ciphertext = new Uint8Array(
          await crypto.subtle.encrypt(
            { name: "AES-GCM", iv, additionalData: encoder.encode(binding) },
            currentKey,
            encoder.encode(Redacted.value(plaintext))
          )
        )
        const combined = new Uint8Array(IV_BYTES + ciphertext.length)
        combined.set(iv)
        combined.set(ciphertext, IV_BYTES)
        return { keyId: current!.id, ciphertext: base64UrlEncode(combined) }
      })

    const open = (sealed: Sealed, binding: string) =>
      Effect.gen(function*() {
        const key = imported.get(sealed.keyId)
        if (key === undefined) {
          return yield* new VaultError({ reason: "UnknownKey", message: `No vault key "${sealed.keyId}" is configured` })
        }
        const combined = base64UrlDecode(sealed.ciphertext)
        if (combined === undefined || combined.length <= IV_BYTES) {
          return yield* new VaultError({ reason: "DecryptFailed", message: "Ciphertext is malformed" })
        }
        const plaintext = yield* Effect.tryPromise({
          try: () =>
            crypto.subtle.decrypt(
              { name: "AES-GCM", iv: combined.slice(0, IV_BYTES), additionalData: encoder.encode(binding) },
              key,
              combined.slice(IV_BYTES)
            ),
          // Web Crypto reports a failed tag check as a bare OperationError: the ciphertext was
          // altered, sealed under another binding, or sealed with another key of the same id.
          catch: () => new VaultError({ reason: "DecryptFailed", message: "Ciphertext does not open for this row" })
        })
        return Redacted.make(decoder.decode(plaintext))
      })

    return Vault.of({ seal, open })
  })

  static readonly layer = Layer.effect(
    Vault,
    Effect.gen(function*() {
      const config = yield* KernelConfig
      return yield* Vault.make(config.vaultKeys)
    })
  )
}
