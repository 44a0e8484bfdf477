/**
 * One secret, a key per purpose: session tokens, install tickets and dispatch signatures are each
 * refused wherever another purpose is expected, whether they are genuine tokens of the other
 * purpose or forgeries that get every claim right but the audience. Install tickets are single
 * use, name one provider and must expire.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import { SignJWT } from "jose"
import { signSession, verifySessionSignature } from "../../adapters/sink/SessionSignature.ts"
import { InstallationId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import { deriveKey, type KeyPurpose, keyPurposes } from "../../kernel/vault/DerivedKeys.ts"
import { InstallTickets } from "../../kernel/vault/InstallTickets.ts"
import { SessionTokens } from "../../kernel/vault/SessionTokens.ts"
import { storesInMemory } from "../support/storesInMemory.ts"

const secret = "s".repeat(48)
const issuer = "http://switchboard.test"
const tenant = TenantId.make("ten_a")
const now = () => Math.floor(Date.now() / 1000)

const config = Layer.succeed(KernelConfig, KernelConfig.of({
  publicUrl: issuer,
  signingKey: Redacted.make(secret),
  vaultKeys: [],
  adminToken: Option.none(),
  returnUrlOrigins: [issuer],
  maxBodyBytes: 1024 * 1024
}))
const tickets = InstallTickets.layer.pipe(Layer.provide(Layer.merge(config, storesInMemory)))
const sessionTokens = SessionTokens.make(Redacted.make(secret), issuer)

const sessionClaims = {
  tenantId: tenant,
  publicationId: PublicationId.make("pub_a"),
  installationId: InstallationId.make("ins_a"),
  sessionKey: "linear:issue:1",
  scopes: ["issues:read"]
}

/** A JWT with every claim either reader wants, signed with `key`, for `audience`. */
const forge = (
  key: Uint8Array | string,
  audience: string,
  options: { readonly expires?: boolean; readonly provider?: string } = {}
) =>
  Effect.promise(() => {
    const jwt = new SignJWT({
      ten: tenant,
      prv: options.provider ?? "linear",
      pub: "pub_a",
      ins: "ins_a",
      ses: "linear:issue:1",
      scp: ["issues:read"]
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setJti(crypto.randomUUID())
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now())
    if (options.expires !== false) jwt.setExpirationTime(now() + 300)
    return jwt.sign(typeof key === "string" ? new TextEncoder().encode(key) : key)
  })

const keyOf = (purpose: KeyPurpose) => Effect.promise(() => deriveKey(secret, purpose))

const ticketRefused = (ticket: string, provider = "linear") =>
  Effect.flatMap(InstallTickets, (service) => service.redeem(ticket, provider)).pipe(
    Effect.flip,
    Effect.map((error) => error._tag === "ApiError" && error.reason === "Unauthorized")
  )

const sessionRefused = (token: string) =>
  sessionTokens.verify(token).pipe(Effect.flip, Effect.map((error) => error.reason === "Invalid"))

const body = JSON.stringify({ dispatch: "d_1" })

/** A dispatch signature header over `body` made with an arbitrary key (what a confused signer would send). */
const signatureWith = (key: Uint8Array<ArrayBuffer>, timestamp: number) =>
  Effect.promise(async () => {
    const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, new TextEncoder().encode(`${timestamp}.${body}`)))
    return `t=${timestamp},v1=${Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("")}`
  })

const signatureRefused = (header: string) =>
  verifySessionSignature(secret, header, body, Date.now()).pipe(Effect.flip, Effect.map((error) => error.reason === "BadSignature"))

describe("derived keys", () => {
  it.effect("every purpose gets its own key, none of them the secret itself", () =>
    Effect.gen(function*() {
      const keys = yield* Effect.all(keyPurposes.map(keyOf))
      const hex = keys.map((key) => Array.from(key).join(","))
      assert.strictEqual(new Set([...hex, Array.from(new TextEncoder().encode(secret)).join(",")]).size, keyPurposes.length + 1)
      keys.forEach((key) => assert.strictEqual(key.length, 32))
    }))
})

describe("a session token", () => {
  it.effect("is refused as an install ticket", () =>
    Effect.gen(function*() {
      const { token } = yield* sessionTokens.mint(sessionClaims)
      assert.isTrue(yield* ticketRefused(token))
    }).pipe(Effect.provide(tickets)))

  it.effect("is refused when it names another audience, even signed with the session key", () =>
    Effect.gen(function*() {
      const sessionKey = yield* keyOf("session-token")
      assert.isTrue(yield* sessionRefused(yield* forge(sessionKey, "switchboard:install")))
      // The same forgery with the right audience passes: the audience alone made the difference.
      assert.strictEqual((yield* sessionTokens.verify(yield* forge(sessionKey, "switchboard:mcp"))).tenantId, tenant)
    }))

  it.effect("is refused when signed with another purpose's key or with the secret itself", () =>
    Effect.gen(function*() {
      for (const purpose of ["install-ticket", "dispatch-signature"] as const) {
        assert.isTrue(yield* sessionRefused(yield* forge(yield* keyOf(purpose), "switchboard:mcp")), purpose)
      }
      assert.isTrue(yield* sessionRefused(yield* forge(secret, "switchboard:mcp")), "the underived secret")
    }))

  it.effect("cannot sign a dispatch", () =>
    Effect.gen(function*() {
      const t = now()
      assert.isTrue(yield* signatureRefused(yield* signatureWith(yield* keyOf("session-token"), t)))
      assert.isTrue(yield* signatureRefused(yield* signatureWith(new TextEncoder().encode(secret), t)), "the underived secret")
    }))
})

describe("an install ticket", () => {
  it.effect("is refused as a session token", () =>
    Effect.gen(function*() {
      const { ticket } = yield* (yield* InstallTickets).mint(tenant, "linear")
      assert.isTrue(yield* sessionRefused(ticket))
    }).pipe(Effect.provide(tickets)))

  it.effect("is refused when it names another audience, even signed with the ticket key", () =>
    Effect.gen(function*() {
      const ticketKey = yield* keyOf("install-ticket")
      assert.isTrue(yield* ticketRefused(yield* forge(ticketKey, "switchboard:mcp")))
      assert.strictEqual(yield* (yield* InstallTickets).redeem(yield* forge(ticketKey, "switchboard:install"), "linear"), tenant)
    }).pipe(Effect.provide(tickets)))

  it.effect("is refused when signed with another purpose's key or with the secret itself", () =>
    Effect.gen(function*() {
      for (const purpose of ["session-token", "dispatch-signature"] as const) {
        assert.isTrue(yield* ticketRefused(yield* forge(yield* keyOf(purpose), "switchboard:install")), purpose)
      }
      assert.isTrue(yield* ticketRefused(yield* forge(secret, "switchboard:install")), "the underived secret")
    }).pipe(Effect.provide(tickets)))

  it.effect("cannot sign a dispatch", () =>
    Effect.gen(function*() {
      assert.isTrue(yield* signatureRefused(yield* signatureWith(yield* keyOf("install-ticket"), now())))
    }))

  it.effect("is used once", () =>
    Effect.gen(function*() {
      const service = yield* InstallTickets
      const { ticket } = yield* service.mint(tenant, "linear")
      assert.strictEqual(yield* service.redeem(ticket, "linear"), tenant)
      assert.isTrue(yield* ticketRefused(ticket))
    }).pipe(Effect.provide(tickets)))

  it.effect("opens only the provider it names", () =>
    Effect.gen(function*() {
      const service = yield* InstallTickets
      const { ticket } = yield* service.mint(tenant, "linear")
      assert.isTrue(yield* ticketRefused(ticket, "slack"))
      // Refused for another provider, it was not used up: the named provider still takes it.
      assert.strictEqual(yield* service.redeem(ticket, "linear"), tenant)
    }).pipe(Effect.provide(tickets)))

  it.effect("must carry an expiry", () =>
    Effect.gen(function*() {
      const ticketKey = yield* keyOf("install-ticket")
      assert.isTrue(yield* ticketRefused(yield* forge(ticketKey, "switchboard:install", { expires: false })))
    }).pipe(Effect.provide(tickets)))
})

describe("a dispatch signature", () => {
  it.effect("verifies with the shared secret, and is made with the dispatch key alone", () =>
    Effect.gen(function*() {
      const t = now()
      const header = yield* signSession(secret, body, t)
      yield* verifySessionSignature(secret, header, body, Date.now())
      assert.strictEqual(header, yield* signatureWith(yield* keyOf("dispatch-signature"), t))
    }))

  it.effect("key cannot sign a session token or an install ticket", () =>
    Effect.gen(function*() {
      const dispatchKey = yield* keyOf("dispatch-signature")
      assert.isTrue(yield* sessionRefused(yield* forge(dispatchKey, "switchboard:mcp")))
      assert.isTrue(yield* ticketRefused(yield* forge(dispatchKey, "switchboard:install")))
    }).pipe(Effect.provide(tickets)))
})
