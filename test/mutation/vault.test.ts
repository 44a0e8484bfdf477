/**
 * The vault's modules at the unit level, each service built inside its test: sealing (keys,
 * malformed and foreign ciphertexts), the token and secret records, session tokens and install
 * tickets (lifetimes on a realistic clock, claims that must be present, single use).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { decodeProtectedHeader, decodeJwt, SignJWT } from "jose"
import { tokenSet } from "../../kernel/domain/Credentials.ts"
import { InstallationId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import { base64Encode, base64UrlEncode } from "../../kernel/encoding/Encoding.ts"
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import { deriveKey } from "../../kernel/vault/DerivedKeys.ts"
import { InstallTickets } from "../../kernel/vault/InstallTickets.ts"
import { openSecretRecord, sealSecretRecord } from "../../kernel/vault/SecretRecord.ts"
import { SessionTokens } from "../../kernel/vault/SessionTokens.ts"
import { openTokens, sealTokens, tokenBinding } from "../../kernel/vault/TokenCodec.ts"
import { Vault } from "../../kernel/vault/Vault.ts"
import { storesInMemory } from "../support/storesInMemory.ts"

/** A realistic clock: at epoch 0, seconds and milliseconds cannot be told apart. */
const NOW = Date.parse("2026-12-01T12:00:00Z")
const secret = "s".repeat(48)
const issuer = "http://switchboard.test"
const tenant = TenantId.make("ten_a")
const installation = InstallationId.make("ins_1")
const vaultKey = (fill: number) => Redacted.make(base64Encode(new Uint8Array(32).fill(fill)))

const config = (vaultKeys: KernelConfig["Service"]["vaultKeys"] = [{ id: "k1", key: vaultKey(1) }]) =>
  Layer.succeed(KernelConfig, KernelConfig.of({
    publicUrl: issuer,
    signingKey: Redacted.make(secret),
    vaultKeys,
    adminToken: Option.none(),
    returnUrlOrigins: [issuer],
    maxBodyBytes: 1024 * 1024
  }))

describe("Vault", () => {
  it.effect("is built from the configured keys, and refuses to start without a usable one", () =>
    Effect.gen(function*() {
      const vault = yield* Effect.provide(Effect.service(Vault), Vault.layer.pipe(Layer.provide(config())))
      const sealed = yield* vault.seal(Redacted.make("secret"), "b")
      expect(sealed.keyId).toBe("k1")
      expect(Redacted.value(yield* vault.open(sealed, "b"))).toBe("secret")

      const none = yield* Effect.flip(Vault.make([]))
      expect(none.reason).toBe("NotConfigured")
      expect(none.message).toContain("SWITCHBOARD_VAULT_KEYS")
      const notBase64 = yield* Effect.flip(Vault.make([{ id: "bad", key: Redacted.make("not base64 at all!") }]))
      expect(notBase64.reason).toBe("NotConfigured")
      expect(notBase64.message).toBe(`Vault key "bad" must be 32 bytes, base64-encoded`)
      const short = yield* Effect.flip(Vault.make([{ id: "k1", key: vaultKey(1) }, { id: "k2", key: Redacted.make(base64Encode(new Uint8Array(31))) }]))
      expect(short.message).toContain(`"k2"`)
    }))

  it.effect("says which key id it lacks, and tells a malformed ciphertext from one that does not open", () =>
    Effect.gen(function*() {
      const vault = yield* Vault.make([{ id: "k1", key: vaultKey(1) }])
      const sealed = yield* vault.seal(Redacted.make("secret"), "b")
      const unknown = yield* Effect.flip(vault.open({ ...sealed, keyId: "k9" }, "b"))
      expect(unknown.reason).toBe("UnknownKey")
      expect(unknown.message).toContain(`"k9"`)
      for (const ciphertext of ["!!!", "", base64UrlEncode(new Uint8Array(12))]) {
        const malformed = yield* Effect.flip(vault.open({ keyId: "k1", ciphertext }, "b"))
        expect(malformed.reason, ciphertext).toBe("DecryptFailed")
        expect(malformed.message, ciphertext).toBe("Ciphertext is malformed")
      }
      const foreign = yield* Effect.flip(vault.open(sealed, "another row"))
      expect(foreign.reason).toBe("DecryptFailed")
      expect(foreign.message).toBe("Ciphertext does not open for this row")
      // Same key id, another key: the tag check fails as for a foreign row.
      const rekeyed = yield* Vault.make([{ id: "k1", key: vaultKey(2) }])
      expect((yield* Effect.flip(rekeyed.open(sealed, "b"))).message).toBe("Ciphertext does not open for this row")
    }))
})

describe("sealed records", () => {
  it.effect("token sets keep every field, extra secrets included, bound to tenant and installation", () =>
    Effect.gen(function*() {
      const vault = yield* Vault.make([{ id: "k1", key: vaultKey(1) }])
      const tokens = tokenSet({
        accessToken: "acc",
        refreshToken: "ref",
        expiresInSeconds: 60,
        now: NOW,
        scopes: ["a", "b"],
        extra: { cloudId: "c-1", botToken: "xoxb" }
      })
      const opened = yield* openTokens(vault, tenant, installation, yield* sealTokens(vault, tenant, installation, tokens))
      expect(Redacted.value(opened.accessToken)).toBe("acc")
      expect(Option.map(opened.refreshToken, Redacted.value)).toEqual(Option.some("ref"))
      expect(opened.expiresAt).toEqual(Option.some(NOW + 60_000))
      expect(opened.scopes).toEqual(["a", "b"])
      expect(Object.fromEntries(Object.entries(opened.extra).map(([key, value]) => [key, Redacted.value(value)]))).toEqual({
        cloudId: "c-1",
        botToken: "xoxb"
      })
      const bare = yield* openTokens(vault, tenant, installation, yield* sealTokens(vault, tenant, installation, tokenSet({ accessToken: "x", now: 0, scopes: [] })))
      expect(Option.isNone(bare.refreshToken) && Option.isNone(bare.expiresAt)).toBe(true)
      expect(tokenBinding(tenant, installation)).toBe("ten_a/ins_1")
    }))

  it.effect("a sealed value that is not a token set (or not a secret record) is refused, not half read", () =>
    Effect.gen(function*() {
      const vault = yield* Vault.make([{ id: "k1", key: vaultKey(1) }])
      const binding = tokenBinding(tenant, installation)
      for (const json of ['{"accessToken":1}', '{"accessToken":"a"}', "not json"]) {
        const sealed = yield* vault.seal(Redacted.make(json), binding)
        const error = yield* Effect.flip(openTokens(vault, tenant, installation, sealed))
        expect(error.reason, json).toBe("DecryptFailed")
        expect(error.message, json).toBe("Sealed tokens are not readable")
      }
      const notRecord = yield* vault.seal(Redacted.make('{"privateKey":1}'), "app")
      const error = yield* Effect.flip(openSecretRecord(vault, "app", notRecord))
      expect(error.reason).toBe("DecryptFailed")
      expect(error.message).toBe("Sealed secrets are not readable")
    }))

  it.effect("secret records round-trip, bound to their binding", () =>
    Effect.gen(function*() {
      const vault = yield* Vault.make([{ id: "k1", key: vaultKey(1) }])
      const sealed = yield* sealSecretRecord(vault, "ten_a/app/app_1", {
        privateKey: Redacted.make("-----BEGIN"),
        webhookSecret: Redacted.make("whsec")
      })
      expect(sealed.ciphertext).not.toContain("whsec")
      const opened = yield* openSecretRecord(vault, "ten_a/app/app_1", sealed)
      expect(Object.fromEntries(Object.entries(opened).map(([name, value]) => [name, Redacted.value(value)]))).toEqual({
        privateKey: "-----BEGIN",
        webhookSecret: "whsec"
      })
      expect((yield* Effect.flip(openSecretRecord(vault, "ten_b/app/app_1", sealed))).reason).toBe("DecryptFailed")
    }))
})

const claims = {
  tenantId: tenant,
  publicationId: PublicationId.make("pub_a"),
  installationId: installation,
  sessionKey: "linear:issue:1",
  scopes: ["issues:read", "comments:write"]
}

describe("session tokens", () => {
  it.effect("last an hour by default, as a standard HS256 JWT in seconds", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const tokens = SessionTokens.make(Redacted.make(secret), issuer)
      const minted = yield* tokens.mint(claims)
      expect(minted.expiresAt).toBe(NOW + 60 * 60 * 1000)
      expect(decodeProtectedHeader(minted.token)).toEqual({ alg: "HS256", typ: "JWT" })
      const payload = decodeJwt(minted.token)
      expect(payload.iat).toBe(NOW / 1000)
      expect(payload.exp).toBe(NOW / 1000 + 3600)
      const verified = yield* tokens.verify(minted.token)
      expect(verified).toEqual({ ...claims, expiresAt: NOW / 1000 + 3600 })
      expect(minted.expiresAt).toBe(verified.expiresAt * 1000)
      // Valid until its last second, expired after it.
      yield* TestClock.adjust("59 minutes")
      expect((yield* tokens.verify(minted.token)).tenantId).toBe(tenant)
      yield* TestClock.adjust("2 minutes")
      const expired = yield* Effect.flip(tokens.verify(minted.token))
      expect(expired).toMatchObject({ reason: "Expired", message: "The session token has expired" })
    }))

  it.effect("a short lifetime is honoured on a realistic clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const tokens = SessionTokens.make(Redacted.make(secret), issuer)
      const minted = yield* tokens.mint(claims, 60)
      expect(minted.expiresAt).toBe(NOW + 60_000)
      yield* TestClock.adjust("2 minutes")
      expect((yield* Effect.flip(tokens.verify(minted.token))).reason).toBe("Expired")
    }))

  it.effect("a correctly signed token missing a claim is invalid, not a session with holes", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const tokens = SessionTokens.make(Redacted.make(secret), issuer)
      const key = yield* Effect.promise(() => deriveKey(secret, "session-token"))
      const signed = (payload: Record<string, unknown>) =>
        Effect.promise(() =>
          new SignJWT(payload).setProtectedHeader({ alg: "HS256" }).setIssuer(issuer).setAudience("switchboard:mcp")
            .setExpirationTime(NOW / 1000 + 60).sign(key)
        )
      const complete = { ten: tenant, pub: "pub_a", ins: "ins_1", ses: "s", scp: ["issues:read"] }
      expect((yield* tokens.verify(yield* signed(complete))).scopes).toEqual(["issues:read"])
      const { scp: _scopes, ...withoutScopes } = complete
      const invalid = yield* Effect.flip(tokens.verify(yield* signed(withoutScopes)))
      expect(invalid).toMatchObject({ reason: "Invalid", message: "The session token is not valid" })
      expect((yield* Effect.flip(tokens.verify("not.a.jwt"))).message).toBe("The session token is not valid")
    }))

  it.effect("the layer signs with the configured key for the configured public URL", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const tokens = yield* SessionTokens
      const minted = yield* tokens.mint(claims)
      expect(decodeJwt(minted.token).iss).toBe(issuer)
      expect((yield* SessionTokens.make(Redacted.make(secret), issuer).verify(minted.token)).sessionKey).toBe(claims.sessionKey)
    }).pipe(Effect.provide(SessionTokens.layer.pipe(Layer.provide(config())))))
})

const ticketsLayer = () => InstallTickets.layer.pipe(Layer.provide(Layer.merge(config(), storesInMemory)))

describe("install tickets", () => {
  it.effect("last ten minutes, as a standard HS256 JWT", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const tickets = yield* InstallTickets
      const minted = yield* tickets.mint(tenant, "linear")
      expect(minted).toMatchObject({ providerId: "linear", expiresAt: NOW + 10 * 60 * 1000 })
      expect(decodeProtectedHeader(minted.ticket)).toEqual({ alg: "HS256", typ: "JWT" })
      expect(decodeJwt(minted.ticket)).toMatchObject({ iat: NOW / 1000, exp: NOW / 1000 + 600, iss: issuer, ten: tenant, prv: "linear" })
      yield* TestClock.adjust("9 minutes")
      expect(yield* tickets.redeem(minted.ticket, "linear")).toBe(tenant)
      const late = yield* tickets.mint(tenant, "linear")
      yield* TestClock.adjust("11 minutes")
      const expired = yield* Effect.flip(tickets.redeem(late.ticket, "linear"))
      expect(expired).toMatchObject({ _tag: "ApiError", reason: "Unauthorized", message: "The install link is invalid or has expired" })
    }).pipe(Effect.provide(ticketsLayer())))

  it.effect("stay used up for their whole lifetime, whatever is redeemed in between", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const tickets = yield* InstallTickets
      const minted = yield* tickets.mint(tenant, "linear")
      expect(yield* tickets.redeem(minted.ticket, "linear")).toBe(tenant)
      // Another redemption later sweeps expired records: this one has not expired and must stay.
      yield* TestClock.adjust("5 minutes")
      yield* tickets.redeem((yield* tickets.mint(tenant, "linear")).ticket, "linear")
      expect(yield* Effect.flip(tickets.redeem(minted.ticket, "linear"))).toMatchObject({ _tag: "ApiError", reason: "Unauthorized" })
    }).pipe(Effect.provide(ticketsLayer())))
})
