/**
 * The OAuth start and callback, credential paste, uninstall and adoption, at the unit level with
 * a simulated vendor: the browser binding, PKCE, the return-URL allowlist, state expiry and
 * single use, and what a saved installation holds.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import { InstallationId, ProviderId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import * as BrowserBinding from "../../kernel/install/BrowserBinding.ts"
import { Install } from "../../kernel/install/Install.ts"
import { InstallationTokens } from "../../kernel/install/InstallationTokens.ts"
import { Registrations } from "../../kernel/install/Registrations.ts"
import { InstallationStore } from "../../kernel/store/InstallationStore.ts"
import { OAuthStateStore } from "../../kernel/store/OAuthStateStore.ts"
import { PublicationStore } from "../../kernel/store/PublicationStore.ts"
import { TenantStore } from "../../kernel/store/TenantStore.ts"
import { base64UrlEncode } from "../../kernel/encoding/Encoding.ts"
import { inInstallWorld, installWorld, NOW, PUBLIC_URL, publicationOf, RETURN_ORIGIN, seed, tenantA, Vendor } from "./world.ts"

const none = { returnUrl: Option.none<string>(), registrationId: Option.none<string>() }
const query = (params: Record<string, string>) => new URLSearchParams(params)
const stateIn = (authorizeUrl: string) => new URL(authorizeUrl).searchParams.get("state") ?? ""
const sha256 = (text: string) =>
  Effect.promise(async () => base64UrlEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))))

/** Runs `body` with a fresh vendor and world, on a realistic clock, tenant A created. */
const inWorld = <A, E, R>(body: (vendor: Vendor) => Effect.Effect<A, E, R>, vendor = new Vendor()) =>
  inInstallWorld((world) =>
    Effect.gen(function*() {
      yield* (yield* TenantStore).createTenant({ id: tenantA, name: "Alice & Co", createdAt: NOW })
      return yield* body(world)
    }), vendor)

/** Starts a widgets flow and completes it from the same browser. */
const connect = (code: string, tenantId = tenantA) =>
  Effect.gen(function*() {
    const install = yield* Install
    const started = yield* install.start(tenantId, "widgets", none)
    return yield* install.callback("widgets", query({ code, state: stateIn(started.authorizeUrl) }), Option.some(started.browserBinding))
  })

describe("BrowserBinding", () => {
  it.effect("the state is base64url(SHA-256(binding)), and only the binding binds it", () =>
    Effect.gen(function*() {
      expect(yield* BrowserBinding.stateOf("abc")).toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0")
      const binding = BrowserBinding.newBinding()
      expect(binding).toMatch(/^[\w-]{43}$/)
      expect(BrowserBinding.newBinding()).not.toBe(binding)
      const state = yield* BrowserBinding.stateOf(binding)
      expect(yield* BrowserBinding.binds(binding, state)).toBe(true)
      expect(yield* BrowserBinding.binds(BrowserBinding.newBinding(), state)).toBe(false)
      expect(yield* BrowserBinding.binds(binding, state.slice(1))).toBe(false)
      expect(yield* BrowserBinding.binds(binding, `${state}A`)).toBe(false)
      // One character off, at either end: every position is compared.
      const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1)
      expect(yield* BrowserBinding.binds(binding, flip(state, 0))).toBe(false)
      expect(yield* BrowserBinding.binds(binding, flip(state, state.length - 1))).toBe(false)
      expect(yield* BrowserBinding.binds(binding, binding)).toBe(false)
    }))

  it("the cookie is HttpOnly, Lax, scoped to the provider's install path, Secure except on loopback HTTP", () => {
    expect(BrowserBinding.COOKIE_NAME).toBe("switchboard_install")
    expect(BrowserBinding.cookieOptions("https://sb.example", "widgets")).toEqual({
      path: "/install/widgets",
      httpOnly: true,
      secure: true,
      sameSite: "lax"
    })
    expect(BrowserBinding.cookieOptions("https://sb.example/base//", "a b").path).toBe("/base/install/a%20b")
    for (const url of ["http://localhost:8787", "http://127.0.0.1:1", "http://[::1]:2", "http://dev.localhost"]) {
      expect(BrowserBinding.cookieOptions(url, "w").secure, url).toBe(false)
    }
    for (const url of ["https://localhost", "http://sb.example", "http://localhost.example", "http://10.0.0.1"]) {
      expect(BrowserBinding.cookieOptions(url, "w").secure, url).toBe(true)
    }
  })
})

describe("the OAuth start", () => {
  it.effect("hands the vendor the state, the redirect URI and an S256 challenge; names the tenant and the provider", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const install = yield* Install
        const started = yield* install.start(tenantA, "widgets", none)
        expect(started.tenantName).toBe("Alice & Co")
        expect(started.providerName).toBe("Widgets")
        const url = new URL(started.authorizeUrl)
        expect(url.searchParams.get("state")).toBe(yield* BrowserBinding.stateOf(started.browserBinding))
        expect(url.searchParams.get("redirect_uri")).toBe(`${PUBLIC_URL}/install/widgets/callback`)
        expect(url.searchParams.get("client_id")).toBe("deployment")
        yield* install.callback("widgets", query({ code: "c1", state: stateIn(started.authorizeUrl) }), Option.some(started.browserBinding))
        const [exchange] = vendor.exchanges
        expect(exchange?.redirectUri).toBe(`${PUBLIC_URL}/install/widgets/callback`)
        const verifier = Option.getOrThrow(exchange!.verifier)
        expect(verifier).toMatch(/^[\w-]{64}$/)
        expect(url.searchParams.get("code_challenge")).toBe(yield* sha256(verifier))
      })))

  it.effect("sends no challenge to a vendor without PKCE, and names an unknown tenant by its id", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const started = yield* (yield* Install).start(TenantId.make("ten_nameless"), "gadgets", none)
        expect(new URL(started.authorizeUrl).searchParams.get("challenge")).toBe("none")
        expect(started.tenantName).toBe("ten_nameless")
        expect(started.providerName).toBe("Gadgets")
      })))

  it.effect("refuses an unknown provider and one that does not install by OAuth", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const install = yield* Install
        expect(yield* Effect.flip(install.start(tenantA, "nope", none))).toMatchObject({
          reason: "UnknownProvider",
          message: `No provider "nope" is registered`
        })
        expect(yield* Effect.flip(install.start(tenantA, "pasties", none))).toMatchObject({
          reason: "NotSupported",
          message: "Pasties does not install by OAuth"
        })
        expect(yield* Effect.flip(install.callback("pasties", query({ state: "s" }), Option.some("b")))).toMatchObject({
          reason: "NotSupported"
        })
        expect(yield* Effect.flip(install.paste(tenantA, "gadgets", {}))).toMatchObject({
          reason: "NotSupported",
          message: "Gadgets does not install by credential paste"
        })
      })))

  it.effect("keeps a return URL on the allowlist and refuses any other, saying what is allowed", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const install = yield* Install
        for (const returnUrl of [`${RETURN_ORIGIN}/done?x=1`, "https://second.example/back", `${PUBLIC_URL}/console`]) {
          const started = yield* install.start(tenantA, "widgets", { ...none, returnUrl: Option.some(returnUrl) })
          const done = yield* install.callback("widgets", query({ code: "r", state: stateIn(started.authorizeUrl) }), Option.some(started.browserBinding))
          expect(done.returnUrl).toEqual(Option.some(returnUrl))
        }
        const refused = yield* Effect.flip(install.start(tenantA, "widgets", { ...none, returnUrl: Option.some("https://evil.example/x") }))
        expect(refused).toMatchObject({
          reason: "ReturnUrlNotAllowed",
          message:
            "The return URL's origin is not on the allowlist: https://evil.example is neither SWITCHBOARD_PUBLIC_URL's origin (https://switchboard.test) nor listed in SWITCHBOARD_RETURN_URLS (https://app.example, https://second.example)"
        })
        const garbage = yield* Effect.flip(install.start(tenantA, "widgets", { ...none, returnUrl: Option.some("not a url") }))
        expect(garbage.message).toContain(`allowlist: "not a url" is neither`)
        const started = yield* install.start(tenantA, "widgets", none)
        const done = yield* install.callback("widgets", query({ code: "n", state: stateIn(started.authorizeUrl) }), Option.some(started.browserBinding))
        expect(done.returnUrl).toEqual(Option.none())
      })))

  it.effect("with only the public URL allowed (or nothing), the message says so", () =>
    Effect.gen(function*() {
      const refusal = (origins: ReadonlyArray<string>) =>
        Effect.flatMap(Install, (install) => install.start(tenantA, "widgets", { ...none, returnUrl: Option.some("https://evil.example") })).pipe(
          Effect.flip,
          Effect.map((error) => error.message),
          Effect.provide(installWorld(new Vendor(), { returnUrlOrigins: origins }))
        )
      expect(yield* refusal(["https://switchboard.test"])).toMatch(/\(https:\/\/switchboard\.test\) nor listed in SWITCHBOARD_RETURN_URLS$/)
      expect(yield* refusal([])).toContain("origin (unset) nor listed")
    }))

  it.effect("a start sweeps expired flows and keeps live ones", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const install = yield* Install
        const states = yield* OAuthStateStore
        const old = yield* install.start(tenantA, "widgets", none)
        yield* TestClock.adjust("6 minutes")
        const recent = yield* install.start(tenantA, "widgets", none)
        yield* TestClock.adjust("4 minutes")
        yield* install.start(tenantA, "widgets", none)
        expect(Option.isNone(yield* states.take(stateIn(old.authorizeUrl)))).toBe(true)
        const kept = yield* states.take(stateIn(recent.authorizeUrl))
        expect(Option.map(kept, (state) => state.expiresAt)).toEqual(Option.some(NOW + 6 * 60_000 + 10 * 60_000))
      })))
})

describe("the OAuth callback", () => {
  it.effect("needs the starting browser's cookie; without it or with another flow's, the flow stays open", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const install = yield* Install
        const started = yield* install.start(tenantA, "widgets", none)
        const other = yield* install.start(tenantA, "widgets", none)
        const state = stateIn(started.authorizeUrl)
        const missing = yield* Effect.flip(install.callback("widgets", query({ code: "x", state }), Option.none()))
        expect(missing).toMatchObject({ reason: "BrowserMismatch" })
        expect(missing.message).toContain("started in another browser")
        const foreign = yield* Effect.flip(install.callback("widgets", query({ code: "x", state }), Option.some(other.browserBinding)))
        expect(foreign).toMatchObject({ reason: "BrowserMismatch" })
        expect(foreign.message).toContain("started a different install")
        const done = yield* install.callback("widgets", query({ code: "x", state }), Option.some(started.browserBinding))
        expect(done.installation.externalAccountId).toBe("acct-x")
        // Used once.
        const replay = yield* Effect.flip(install.callback("widgets", query({ code: "y", state }), Option.some(started.browserBinding)))
        expect(replay).toMatchObject({ reason: "InvalidState", message: "The install link is unknown or was already used" })
      })))

  it.effect("refuses a callback without a state", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const install = yield* Install
        for (const params of [{ code: "x" }, { code: "x", state: "" }]) {
          expect(yield* Effect.flip(install.callback("widgets", query(params), Option.some("b")))).toMatchObject({
            reason: "InvalidState",
            message: "The callback has no state"
          })
        }
      })))

  it.effect("refuses a state started for another provider", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const install = yield* Install
        const started = yield* install.start(tenantA, "gadgets", none)
        const error = yield* Effect.flip(
          install.callback("widgets", query({ code: "x", state: stateIn(started.authorizeUrl) }), Option.some(started.browserBinding))
        )
        expect(error).toMatchObject({ reason: "InvalidState" })
      })))

  it.effect("refuses an expired state (ten minutes), even from the starting browser", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const install = yield* Install
        const inTime = yield* install.start(tenantA, "widgets", none)
        const late = yield* install.start(tenantA, "widgets", none)
        yield* TestClock.adjust(10 * 60_000 - 1)
        yield* install.callback("widgets", query({ code: "t", state: stateIn(inTime.authorizeUrl) }), Option.some(inTime.browserBinding))
        yield* TestClock.adjust(1)
        const expired = yield* Effect.flip(
          install.callback("widgets", query({ code: "l", state: stateIn(late.authorizeUrl) }), Option.some(late.browserBinding))
        )
        expect(expired).toMatchObject({ reason: "ExpiredState", message: "The install link has expired; start again" })
        expect((yield* (yield* InstallationStore).list(tenantA)).map((found) => found.externalAccountId)).toEqual(["acct-t"])
      })))

  it.effect("reports the vendor's refusal, and passes a callback without a code on to the provider", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const install = yield* Install
        const declined = yield* install.start(tenantA, "widgets", none)
        const error = yield* Effect.flip(
          install.callback("widgets", query({ error: "access_denied", state: stateIn(declined.authorizeUrl) }), Option.some(declined.browserBinding))
        )
        expect(error).toMatchObject({ reason: "VendorRejected", message: "Widgets declined the install: access_denied" })
        const codeless = yield* install.start(tenantA, "widgets", none)
        yield* install.callback("widgets", query({ installation_id: "9", state: stateIn(codeless.authorizeUrl) }), Option.some(codeless.browserBinding))
        expect(vendor.exchanges.map((exchange) => exchange.code)).toEqual([""])
      })))

  it.effect("saves the installation with its sealed tokens; a reinstall keeps its id and revives its publications", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const { installation } = yield* connect("acme")
        expect(installation).toMatchObject({
          tenantId: tenantA,
          providerId: "widgets",
          externalAccountId: "acct-acme",
          displayName: "Widgets acme",
          status: "active",
          registrationId: null,
          grantedScopes: ["all"],
          metadata: { code: "acme" },
          createdAt: NOW,
          updatedAt: NOW
        })
        expect(installation.id).toMatch(/^ins_[\w-]{16}$/)
        const tokens = yield* (yield* InstallationTokens).get(installation)
        expect(tokens.expiresAt).toEqual(Option.some(NOW + 3600_000))
        const stored = yield* (yield* InstallationStore).getSecret(tenantA, installation.id)
        expect(Option.map(stored, (secret) => secret.expiresAt)).toEqual(Option.some(NOW + 3600_000))

        // Revoked, with a paused publication; the same account installed again brings both back.
        const publications = yield* PublicationStore
        yield* publications.insert(publicationOf(installation, { id: PublicationId.make("pub_1"), agentId: "a" }))
        yield* (yield* Install).uninstall(tenantA, installation.id)
        expect((yield* publications.listByInstallation(tenantA, installation.id))[0]?.status).toBe("paused")
        yield* TestClock.adjust("1 minute")
        const again = yield* connect("acme")
        expect(again.installation).toMatchObject({ id: installation.id, status: "active", createdAt: NOW, updatedAt: NOW + 60_000 })
        expect((yield* publications.listByInstallation(tenantA, installation.id))[0]?.status).toBe("active")
        // Another tenant installing the same account gets an installation of its own.
        const other = yield* connect("acme", TenantId.make("ten_other"))
        expect(other.installation.id).not.toBe(installation.id)
      })))

  it.effect("a reinstall of an active installation leaves its paused publications paused", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const { installation, publication } = yield* seed({ tokens: new Vendor().tokens("old") })
        const publications = yield* PublicationStore
        yield* publications.setStatusByInstallation(tenantA, installation.id, "paused", NOW)
        const reinstalled = yield* (yield* InstallationStore).findByAccount("widgets" as never, installation.externalAccountId)
        expect(reinstalled).toHaveLength(1)
        const started = yield* (yield* Install).start(tenantA, "widgets", none)
        yield* (yield* Install).callback("widgets", query({ code: "ten_a", state: stateIn(started.authorizeUrl) }), Option.some(started.browserBinding))
        expect(Option.map(yield* publications.get(tenantA, publication.id), (found) => found.status)).toEqual(Option.some("paused"))
      })))
})

describe("credential paste", () => {
  it.effect("names every missing field, passes the provider's refusal on, and saves what validates", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const install = yield* Install
        expect(yield* Effect.flip(install.paste(tenantA, "widgets", {}))).toMatchObject({
          reason: "InvalidCredentials",
          message: "Missing fields: apiKey, site"
        })
        expect((yield* Effect.flip(install.paste(tenantA, "widgets", { apiKey: "", site: "s" }))).message).toBe("Missing fields: apiKey")
        expect(yield* Effect.flip(install.paste(tenantA, "widgets", { apiKey: "bad", site: "s" }))).toMatchObject({
          message: "Widgets does not know this key"
        })
        const saved = yield* install.paste(tenantA, "widgets", { apiKey: "key-1", site: "acme" })
        expect(saved).toMatchObject({ externalAccountId: "acct-paste-acme", registrationId: null, tenantId: tenantA })
        expect((yield* (yield* InstallationTokens).get(saved)).accessToken).toBeDefined()
      })))
})

describe("uninstall", () => {
  it.effect("revokes at the vendor, then here; a vendor failure does not keep it installed", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const install = yield* Install
        const installations = yield* InstallationStore
        expect(yield* install.uninstall(tenantA, InstallationId.make("ins_unknown"))).toBe(false)
        const { installation } = yield* connect("one")
        expect(yield* install.uninstall(tenantA, installation.id)).toBe(true)
        expect(vendor.revoked).toEqual([{ token: "tok-one", app: Option.none() }])
        expect(Option.map(yield* installations.get(tenantA, installation.id), (found) => found.status)).toEqual(Option.some("revoked"))
        // Already revoked: the vendor is not asked again.
        expect(yield* install.uninstall(tenantA, installation.id)).toBe(true)
        expect(vendor.revoked).toHaveLength(1)
        vendor.revokeFails = true
        const two = (yield* connect("two")).installation
        expect(yield* install.uninstall(tenantA, two.id)).toBe(true)
        expect(Option.map(yield* installations.get(tenantA, two.id), (found) => found.status)).toEqual(Option.some("revoked"))
      })))

  it.effect("a vendor without revocation is only revoked here; an installation of a tenant's app revokes with that app", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const install = yield* Install
        const started = yield* install.start(tenantA, "gadgets", none)
        const { installation } = yield* install.callback("gadgets", query({ code: "g", state: stateIn(started.authorizeUrl) }), Option.some(started.browserBinding))
        expect(yield* install.uninstall(tenantA, installation.id)).toBe(true)
        expect(Option.map(yield* (yield* InstallationStore).get(tenantA, installation.id), (found) => found.status)).toEqual(Option.some("revoked"))

        const registrations = yield* Registrations
        const { registration } = yield* registrations.create(tenantA, "widgets", "Our app")
        yield* registrations.paste(tenantA, registration.id, { clientId: "cid", clientSecret: "sec" })
        const viaApp = yield* install.start(tenantA, "widgets", { ...none, registrationId: Option.some(registration.id) })
        expect(new URL(viaApp.authorizeUrl).searchParams.get("client_id")).toBe(registration.id)
        const done = yield* install.callback("widgets", query({ code: "app", state: stateIn(viaApp.authorizeUrl) }), Option.some(viaApp.browserBinding))
        expect(done.installation.registrationId).toBe(registration.id)
        expect(vendor.exchanges.at(-1)?.app).toEqual(Option.some(registration.id))
        yield* install.uninstall(tenantA, done.installation.id)
        expect(vendor.revoked).toEqual([{ token: "tok-app", app: Option.some(registration.id) }])
      })))

  it.effect("revokes through the OAuth method wherever the provider lists it", () =>
    inWorld((vendor) =>
      Effect.gen(function*() {
        const { installation } = yield* seed({ providerId: "sprockets", tokens: vendor.tokens("sp") })
        expect(yield* (yield* Install).uninstall(tenantA, installation.id)).toBe(true)
        expect(vendor.revoked).toEqual([{ token: "sp", app: Option.none() }])
      })))

  it.effect("refuses a flow naming another provider's app", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const registrations = yield* Registrations
        const { registration } = yield* registrations.create(tenantA, "widgets", "Our app")
        yield* registrations.paste(tenantA, registration.id, { clientId: "cid", clientSecret: "sec" })
        const error = yield* Effect.flip((yield* Install).start(tenantA, "gadgets", { ...none, registrationId: Option.some(registration.id) }))
        expect(error).toMatchObject({ reason: "InvalidState", message: "The app registration belongs to another provider" })
      })))
})

describe("adoption", () => {
  it.effect("connects an installation a tenant's app announced; a provider without adoption connects nothing", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const registrations = yield* Registrations
        const { registration } = yield* registrations.create(tenantA, "widgets", "Our app")
        yield* registrations.paste(tenantA, registration.id, { clientId: "cid", clientSecret: "sec" })
        const app = yield* registrations.appContext(tenantA, registration.id)
        const adopted = yield* (yield* Install).adopt(app, "acct-announced")
        expect(Option.map(adopted, (found) => [found.tenantId, found.externalAccountId, found.registrationId])).toEqual(
          Option.some([tenantA, "acct-announced", registration.id])
        )
        const appOf = (providerId: string) => ({ ...app, registration: { ...app.registration, providerId: ProviderId.make(providerId) } })
        expect(yield* (yield* Install).adopt(appOf("gadgets"), "acct-x")).toEqual(Option.none())
        // No OAuth at all: nothing to adopt with.
        expect(yield* (yield* Install).adopt(appOf("pasties"), "acct-x")).toEqual(Option.none())
        // OAuth listed after another method is found all the same.
        expect(Option.map(yield* (yield* Install).adopt(appOf("sprockets"), "acct-s"), (found) => found.providerId)).toEqual(
          Option.some("sprockets")
        )
      })))
})
