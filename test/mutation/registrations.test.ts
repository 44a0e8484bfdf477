/**
 * Tenant-owned apps: created pending, completed by paste or by the vendor's manifest flow (its
 * state single use, for one provider, an hour long), opened only when complete and only for
 * their tenant, and found by the webhook route only for their provider.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { AppRegistrationId } from "../../kernel/domain/AppRegistration.ts"
import { Install } from "../../kernel/install/Install.ts"
import { registrationBinding, Registrations } from "../../kernel/install/Registrations.ts"
import { AppRegistrationStore } from "../../kernel/store/AppRegistrationStore.ts"
import { installWorld, NOW, PUBLIC_URL, tenantA, tenantB, Vendor } from "./world.ts"

const inWorld = <A, E, R>(body: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(NOW)
    return yield* body
  }).pipe(Effect.provide(installWorld(new Vendor())))

const manifestState = (step: { readonly _tag: string; readonly fields?: Readonly<Record<string, string>> }) =>
  step._tag === "FormPost" ? step.fields?.["state"] ?? "" : ""

describe("Registrations", () => {
  it.effect("knows which providers have tenant-owned apps", () =>
    inWorld(Effect.gen(function*() {
      const registrations = yield* Registrations
      expect((yield* registrations.methodOf("widgets")).provider.id).toBe("widgets")
      expect(yield* Effect.flip(registrations.methodOf("nope"))).toMatchObject({ reason: "UnknownProvider", message: `No provider "nope" is registered` })
      expect(yield* Effect.flip(registrations.methodOf("gadgets"))).toMatchObject({ reason: "NotSupported", message: "Gadgets has no tenant-owned apps" })
      expect(registrations.urlsFor("widgets", AppRegistrationId.make("app_1"))).toEqual({
        publicUrl: PUBLIC_URL,
        webhookUrl: `${PUBLIC_URL}/webhook/widgets/app_1`,
        redirectUrl: `${PUBLIC_URL}/install/widgets/callback`,
        manifestCallbackUrl: `${PUBLIC_URL}/install/widgets/app/callback`
      })
    })))

  it.effect("creates a pending app, completes it by paste, and opens it for its tenant only", () =>
    inWorld(Effect.gen(function*() {
      const registrations = yield* Registrations
      const { registration, urls } = yield* registrations.create(tenantA, "widgets", "Our app")
      expect(registration).toMatchObject({
        tenantId: tenantA,
        providerId: "widgets",
        status: "pending",
        externalAppId: null,
        displayName: "Our app",
        metadata: {},
        createdAt: NOW,
        updatedAt: NOW
      })
      expect(registration.id).toMatch(/^app_[\w-]{16}$/)
      expect(urls.webhookUrl).toBe(`${PUBLIC_URL}/webhook/widgets/${registration.id}`)
      const stored = yield* (yield* AppRegistrationStore).get(tenantA, registration.id)
      expect(Option.map(stored, (found) => found.status)).toEqual(Option.some("pending"))
      expect(yield* Effect.flip(registrations.appContext(tenantA, registration.id))).toMatchObject({
        reason: "InvalidState",
        message: "The app registration does not exist or is not complete"
      })

      expect(yield* Effect.flip(registrations.paste(tenantA, registration.id, { clientId: "c" }))).toMatchObject({
        reason: "InvalidCredentials",
        message: "Missing fields: clientSecret"
      })
      expect((yield* Effect.flip(registrations.paste(tenantA, registration.id, { clientId: "", clientSecret: "" }))).message).toBe(
        "Missing fields: clientId, clientSecret"
      )
      expect(yield* Effect.flip(registrations.paste(tenantB, registration.id, { clientId: "c", clientSecret: "s" }))).toMatchObject({
        reason: "InvalidState",
        message: "No such app registration"
      })
      yield* TestClock.adjust("1 minute")
      const completed = yield* registrations.paste(tenantA, registration.id, { clientId: "cid", clientSecret: "sec" })
      expect(completed).toMatchObject({
        status: "active",
        externalAppId: "cid",
        displayName: "Our app",
        metadata: { webhookUrl: urls.webhookUrl, vendorName: "Vendor's name for the app" },
        updatedAt: NOW + 60_000
      })
      const app = yield* registrations.appContext(tenantA, registration.id)
      expect(app.registration.id).toBe(registration.id)
      expect(Redacted.value(app.secrets["clientSecret"]!)).toBe("sec")
      expect(yield* Effect.flip(registrations.appContext(tenantB, registration.id))).toMatchObject({
        reason: "InvalidState",
        message: "The app registration does not exist or is not complete"
      })
    })))

  it("seals an app's secrets bound to tenant and registration (a stored format: it must not change)", () => {
    expect(registrationBinding("ten_a", "app_1")).toBe("ten_a/app/app_1")
  })

  it.effect("a registration deleted before it completes cannot be completed", () =>
    inWorld(Effect.gen(function*() {
      const registrations = yield* Registrations
      const { registration } = yield* registrations.create(tenantA, "widgets", "Gone")
      yield* (yield* AppRegistrationStore).delete(tenantA, registration.id)
      const error = yield* Effect.flip(
        registrations.complete(registration, { externalAppId: "x", displayName: "x", metadata: {}, secrets: {} })
      )
      expect(error).toMatchObject({ reason: "InvalidState", message: "The app registration no longer exists" })
    })))

  it.effect("the webhook route finds an app only for its provider, and says when it is not complete", () =>
    inWorld(Effect.gen(function*() {
      const registrations = yield* Registrations
      const { registration } = yield* registrations.create(tenantA, "widgets", "Ours")
      expect(yield* registrations.forWebhook("widgets", "app_unknown")).toEqual(Option.none())
      const pending = yield* Effect.flip(registrations.forWebhook("widgets", registration.id))
      expect(pending).toMatchObject({ _tag: "WebhookRejected", reason: "NotConfigured" })
      expect(pending.message).toContain("paste the app's credentials")
      yield* registrations.paste(tenantA, registration.id, { clientId: "c", clientSecret: "s" })
      expect(yield* registrations.forWebhook("gadgets", registration.id)).toEqual(Option.none())
      const found = yield* registrations.forWebhook("widgets", registration.id)
      expect(Option.map(found, (app) => Redacted.value(app.secrets["clientSecret"]!))).toEqual(Option.some("s"))
    })))

  it.effect("runs the manifest flow: a single-use state for one provider, valid for an hour", () =>
    inWorld(Effect.gen(function*() {
      const registrations = yield* Registrations
      expect(yield* Effect.flip(registrations.startManifest(tenantA, "gadgets", { name: "x", returnUrl: Option.none() }))).toMatchObject({
        reason: "NotSupported"
      })
      const step = yield* registrations.startManifest(tenantA, "widgets", { name: "Made", returnUrl: Option.some("https://app.example/back") })
      expect(step).toMatchObject({ _tag: "FormPost", url: "https://widgets.example/apps/new" })
      const state = manifestState(step)
      expect(state).toMatch(/^[\w-]{32}$/)
      const pending = yield* (yield* AppRegistrationStore).list(tenantA)
      expect(pending.map((found) => [found.displayName, found.status])).toEqual([["Made", "pending"]])

      expect(yield* Effect.flip(registrations.finishManifest("widgets", new URLSearchParams({ code: "c" })))).toMatchObject({
        reason: "InvalidState",
        message: "The app creation link is unknown or was already used"
      })
      expect(yield* Effect.flip(registrations.finishManifest("widgets", new URLSearchParams({ code: "c", state: "unknown" })))).toMatchObject({
        reason: "InvalidState"
      })
      yield* TestClock.adjust(60 * 60_000 - 1)
      const done = yield* registrations.finishManifest("widgets", new URLSearchParams({ code: "c", state }))
      expect(done.returnUrl).toEqual(Option.some("https://app.example/back"))
      expect(done.registration).toMatchObject({ status: "active", externalAppId: "app-c", displayName: "Made", tenantId: tenantA })
      expect(yield* Effect.flip(registrations.finishManifest("widgets", new URLSearchParams({ code: "c", state })))).toMatchObject({
        reason: "InvalidState"
      })
    })))

  it.effect("refuses an expired manifest state, and one brought to another provider's callback", () =>
    inWorld(Effect.gen(function*() {
      const registrations = yield* Registrations
      const first = manifestState(yield* registrations.startManifest(tenantA, "widgets", { name: "A", returnUrl: Option.none() }))
      const second = manifestState(yield* registrations.startManifest(tenantA, "widgets", { name: "B", returnUrl: Option.none() }))
      expect(yield* Effect.flip(registrations.finishManifest("gadgets", new URLSearchParams({ state: first })))).toMatchObject({
        reason: "NotSupported"
      })
      yield* TestClock.adjust("60 minutes")
      expect(yield* Effect.flip(registrations.finishManifest("widgets", new URLSearchParams({ code: "c", state: second })))).toMatchObject({
        reason: "ExpiredState",
        message: "The app creation link has expired; start again"
      })
      const finished = yield* Effect.flip(registrations.finishManifest("widgets", new URLSearchParams({ code: "c", state: first })))
      expect(finished).toMatchObject({ reason: "ExpiredState" })
      const fresh = manifestState(yield* registrations.startManifest(tenantA, "widgets", { name: "C", returnUrl: Option.none() }))
      expect(yield* Effect.flip(registrations.finishManifest("sprockets", new URLSearchParams({ code: "c", state: fresh })))).toMatchObject({
        reason: "InvalidState",
        message: "The app creation link is unknown or was already used"
      })
      expect(yield* Effect.flip(registrations.startManifest(tenantA, "sprockets", { name: "x", returnUrl: Option.none() }))).toMatchObject({
        reason: "NotSupported",
        message: "sprockets has no manifest flow; paste the app's credentials instead"
      })
    })))

  it.effect("a manifest state whose registration was deleted, or an install state, completes nothing", () =>
    inWorld(Effect.gen(function*() {
      const registrations = yield* Registrations
      const state = manifestState(yield* registrations.startManifest(tenantA, "widgets", { name: "A", returnUrl: Option.none() }))
      const [pending] = yield* (yield* AppRegistrationStore).list(tenantA)
      yield* (yield* AppRegistrationStore).delete(tenantA, pending!.id)
      expect(yield* Effect.flip(registrations.finishManifest("widgets", new URLSearchParams({ code: "c", state })))).toMatchObject({
        reason: "InvalidState",
        message: "The app registration no longer exists"
      })
      const started = yield* (yield* Install).start(tenantA, "widgets", { returnUrl: Option.none(), registrationId: Option.none() })
      const installState = new URL(started.authorizeUrl).searchParams.get("state") ?? ""
      expect(yield* Effect.flip(registrations.finishManifest("widgets", new URLSearchParams({ code: "c", state: installState })))).toMatchObject({
        reason: "InvalidState",
        message: "The app creation link is unknown or was already used"
      })
    })))
})
