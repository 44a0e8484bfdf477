import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { tokenSet } from "../../kernel/domain/Credentials.ts"
import { InstallationId, TenantId } from "../../kernel/domain/Ids.ts"
import { base64Encode } from "../../kernel/encoding/Encoding.ts"
import { openTokens, sealTokens } from "../../kernel/vault/TokenCodec.ts"
import { Vault } from "../../kernel/vault/Vault.ts"

const key = () => Redacted.make(base64Encode(crypto.getRandomValues(new Uint8Array(32))))
const tenant = TenantId.make("ten_a")
const row = InstallationId.make("ins_1")
const otherRow = InstallationId.make("ins_2")

describe("Vault", () => {
  it.effect("seals to ciphertext that does not contain the token and opens on its own row", () =>
    Effect.gen(function*() {
      const vault = yield* Vault.make([{ id: "k1", key: key() }])
      const tokens = tokenSet({ accessToken: "lin_secret_access", refreshToken: "lin_secret_refresh", now: 0, scopes: ["read"] })
      const sealed = yield* sealTokens(vault, tenant, row, tokens)
      expect(sealed.keyId).toBe("k1")
      expect(sealed.ciphertext).not.toContain("lin_secret")
      const opened = yield* openTokens(vault, tenant, row, sealed)
      expect(Redacted.value(opened.accessToken)).toBe("lin_secret_access")
      expect(Option.map(opened.refreshToken, Redacted.value)).toEqual(Option.some("lin_secret_refresh"))
    }))

  it.effect("a ciphertext moved to another row or tenant fails to open", () =>
    Effect.gen(function*() {
      const vault = yield* Vault.make([{ id: "k1", key: key() }])
      const sealed = yield* sealTokens(vault, tenant, row, tokenSet({ accessToken: "t", now: 0, scopes: [] }))
      const movedRow = yield* Effect.flip(openTokens(vault, tenant, otherRow, sealed))
      expect(movedRow.reason).toBe("DecryptFailed")
      const movedTenant = yield* Effect.flip(openTokens(vault, TenantId.make("ten_b"), row, sealed))
      expect(movedTenant.reason).toBe("DecryptFailed")
    }))

  it.effect("rotates: the first key seals, older keys still open", () =>
    Effect.gen(function*() {
      const old = key()
      const before = yield* Vault.make([{ id: "k1", key: old }])
      const sealed = yield* before.seal(Redacted.make("secret"), "b")
      const after = yield* Vault.make([{ id: "k2", key: key() }, { id: "k1", key: old }])
      expect(Redacted.value(yield* after.open(sealed, "b"))).toBe("secret")
      expect((yield* after.seal(Redacted.make("secret"), "b")).keyId).toBe("k2")
      const unknown = yield* Effect.flip(Vault.make([{ id: "k3", key: key() }]).pipe(Effect.flatMap((vault) => vault.open(sealed, "b"))))
      expect(unknown.reason).toBe("UnknownKey")
    }))

  it.effect("tampered ciphertext fails closed", () =>
    Effect.gen(function*() {
      const vault = yield* Vault.make([{ id: "k1", key: key() }])
      const sealed = yield* vault.seal(Redacted.make("secret"), "b")
      // A character in the middle carries six whole bits (the last one may hold only padding bits).
      const middle = Math.floor(sealed.ciphertext.length / 2)
      const replacement = sealed.ciphertext[middle] === "A" ? "B" : "A"
      const flipped = sealed.ciphertext.slice(0, middle) + replacement + sealed.ciphertext.slice(middle + 1)
      const error = yield* Effect.flip(vault.open({ ...sealed, ciphertext: flipped }, "b"))
      expect(error.reason).toBe("DecryptFailed")
    }))

  it.effect("rejects keys that are not 32 bytes", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Vault.make([{ id: "k1", key: Redacted.make(base64Encode(new Uint8Array(16))) }]))
      expect(error.reason).toBe("NotConfigured")
    }))
})
