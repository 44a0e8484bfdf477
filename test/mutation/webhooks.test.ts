/**
 * The receive pipeline at the unit level, with a recording Dispatch and background work run in
 * line: who owns a delivery (installations of the account, a tenant's own app, adoption), what
 * is stored (once per tenant, no signature, unrouted when nobody owns it), duplicates and
 * replays, lifecycle events, the acknowledgement (refreshed once when refused), body limits and
 * the per-tenant limit.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger, Option, Redacted, References, Tracer } from "effect"
import { TestClock } from "effect/testing"
import type { WebhookEvent } from "../../kernel/domain/WebhookEvent.ts"
import { TenantId } from "../../kernel/domain/Ids.ts"
import { Dispatch, POLL_EVERY_MS } from "../../kernel/dispatch/Dispatch.ts"
import { InstallationTokens } from "../../kernel/install/InstallationTokens.ts"
import { Registrations } from "../../kernel/install/Registrations.ts"
import { Background } from "../../kernel/runtime/Background.ts"
import { InstallationStore } from "../../kernel/store/InstallationStore.ts"
import { PublicationStore } from "../../kernel/store/PublicationStore.ts"
import { WebhookEventStore } from "../../kernel/store/WebhookEventStore.ts"
import type { KernelConfig } from "../../kernel/KernelConfig.ts"
import { type DecodedWebhook } from "../../kernel/webhooks/Receiver.ts"
import { Webhooks } from "../../kernel/webhooks/Webhooks.ts"
import { hooks, Sightings, signedRequest } from "./webhookWorld.ts"
import { installWorld, NOW, seed, tenantA, tenantB, Vendor } from "./world.ts"

const seconds = NOW / 1000

/** What the pipeline handed to the outbox. */
class Decisions {
  readonly decided: Array<{ event: WebhookEvent; decoded: Option.Option<DecodedWebhook> }> = []
  /** The names background work ran under (each is a span: `Background.<name>`). */
  readonly background: Array<string> = []
}

const world = (
  sightings: Sightings,
  decisions: Decisions,
  vendor: Vendor,
  overrides: Partial<KernelConfig["Service"]> = {},
  options: { readonly maxBodyBytes?: number } = {}
) =>
  Webhooks.layer.pipe(
    Layer.provideMerge(Layer.succeed(Dispatch, Dispatch.of({
      decide: (event, decoded) => Effect.sync(() => void decisions.decided.push({ event, decoded })).pipe(Effect.andThen(Effect.logInfo("deciding"))),
      deliver: () => Effect.void,
      drain: Effect.void,
      poll: Effect.succeed(POLL_EVERY_MS),
      replay: () => Effect.succeed("missing" as const)
    }))),
    // In line, so a test sees the acknowledgement's effects when `receive` returns.
    Layer.provideMerge(Layer.succeed(Background, Background.of({
      run: (name, effect) => Effect.sync(() => void decisions.background.push(name)).pipe(Effect.andThen(Effect.ignore(effect)))
    }))),
    Layer.provideMerge(installWorld(vendor, overrides, [hooks(sightings, options, vendor)]))
  )

const inWorld = <A, E, R>(
  body: (context: { sightings: Sightings; decisions: Decisions; vendor: Vendor }) => Effect.Effect<A, E, R>,
  overrides: Partial<KernelConfig["Service"]> = {},
  options: { readonly maxBodyBytes?: number } = {}
) => {
  const context = { sightings: new Sightings(), decisions: new Decisions(), vendor: new Vendor() }
  return Effect.gen(function*() {
    yield* TestClock.setTime(NOW)
    return yield* body(context)
  }).pipe(Effect.provide(world(context.sightings, context.decisions, context.vendor, overrides, options)))
}

const receive = (body: object, options: { readonly headers?: Record<string, string>; readonly registration?: string; readonly secret?: string } = {}) =>
  Effect.gen(function*() {
    const request = yield* signedRequest(JSON.stringify(body), seconds, options)
    return yield* (yield* Webhooks).receive("hooks", request, Option.fromNullishOr(options.registration))
  })

const thing = (id: string, account: string, extra: object = {}) => ({ id, type: "thing", account, thing: { id }, ...extra })

/** A hooks installation of `account` for `tenantId`, with an active publication. */
const installed = (account: string, tenantId = tenantA, registrationId: string | null = null) =>
  Effect.gen(function*() {
    const vendor = new Vendor()
    return yield* seed({ providerId: "hooks", tenantId, tokens: vendor.tokens(`tok-${tenantId}`), registrationId, externalAccountId: account })
  })

/** Log lines (message and annotations) of what runs under `capturing`. */
const captureLogs = () => {
  const lines: Array<{ readonly message: string; readonly annotations: Readonly<Record<string, unknown>> }> = []
  const logger = Logger.make((options) => {
    const message = Array.isArray(options.message) ? options.message.map(String).join(" ") : String(options.message)
    lines.push({ message, annotations: options.fiber.getRef(References.CurrentLogAnnotations) })
  })
  return { lines, capturing: Effect.provide(Logger.layer([logger])) }
}

const eventsOf = (tenantId: TenantId) => Effect.flatMap(WebhookEventStore, (events) => events.list(tenantId, { limit: 50 }))

describe("Webhooks.receive", () => {
  it.effect("refuses an unknown provider and an unknown app", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const webhooks = yield* Webhooks
        const request = yield* signedRequest("{}", seconds)
        expect(yield* Effect.flip(webhooks.receive("nope", request, Option.none()))).toMatchObject({
          reason: "UnknownProvider",
          message: `No provider "nope" is registered`
        })
        expect(yield* Effect.flip(receive(thing("d", "a"), { registration: "app_unknown" }))).toMatchObject({
          reason: "UnknownProvider",
          message: "No such app registration"
        })
      })))

  it.effect("stores a delivery for the tenant that installed the account, without its signature, then decides it", () =>
    inWorld(({ decisions }) =>
      Effect.gen(function*() {
        yield* installed("acct-1")
        yield* TestClock.adjust("1 second")
        const outcome = yield* receive(thing("d1", "acct-1"), { headers: { "x-hooks-delivery": "ignored", "x-trace": "t" } })
        expect(outcome).toMatchObject({ _tag: "Acknowledged", status: "accepted" })
        const [event] = yield* eventsOf(tenantA)
        expect(event).toMatchObject({
          tenantId: tenantA,
          providerId: "hooks",
          deliveryId: "d1",
          eventType: "thing",
          externalAccountId: "acct-1",
          status: "received",
          reason: null,
          body: JSON.stringify(thing("d1", "acct-1")),
          receivedAt: NOW + 1000,
          updatedAt: NOW + 1000
        })
        expect(event!.id).toMatch(/^evt_[0-9a-z]{9}[\w-]{11}$/)
        expect(outcome._tag === "Acknowledged" && outcome.eventIds).toEqual([event!.id])
        expect(event!.headers).toMatchObject({ "x-trace": "t", "x-hooks-timestamp": String(seconds) })
        expect(Object.keys(event!.headers)).not.toContain("x-hooks-signature")
        expect(decisions.decided.map(({ event }) => event.id)).toEqual([event!.id])
        expect(Option.map(decisions.decided[0]!.decoded, (decoded) => decoded.deliveryId)).toEqual(Option.some("d1"))
      })))

  it.effect("a delivery seen before, or its body under a new delivery id, is a duplicate", () =>
    inWorld(({ decisions }) =>
      Effect.gen(function*() {
        yield* installed("acct-1")
        const body = { type: "thing", account: "acct-1", thing: { id: "x" } }
        yield* receive(body, { headers: { "x-hooks-delivery": "first" } })
        expect(yield* receive(body, { headers: { "x-hooks-delivery": "first" } })).toMatchObject({ _tag: "Acknowledged", status: "duplicate", eventIds: [] })
        expect(yield* receive(body, { headers: { "x-hooks-delivery": "second" } })).toMatchObject({ status: "duplicate" })
        expect(decisions.decided).toHaveLength(1)
        expect(yield* eventsOf(tenantA)).toHaveLength(1)
      })))

  it.effect("stores a delivery nobody installed as unrouted and ignored; one owned by two tenants for each", () =>
    inWorld(({ decisions }) =>
      Effect.gen(function*() {
        yield* receive(thing("d0", "acct-nobody"))
        const [unrouted] = yield* eventsOf(TenantId.make("_unrouted"))
        expect(unrouted).toMatchObject({ status: "ignored", reason: "no installation for this account", deliveryId: "d0" })
        yield* installed("acct-2", tenantA)
        yield* installed("acct-2", tenantB)
        const outcome = yield* receive(thing("d2", "acct-2"))
        expect(outcome._tag === "Acknowledged" && outcome.eventIds).toHaveLength(2)
        expect((yield* eventsOf(tenantA)).map((event) => event.deliveryId)).toEqual(["d2"])
        expect((yield* eventsOf(tenantB)).map((event) => [event.deliveryId, event.status])).toEqual([["d2", "received"]])
        // The unrouted event is stored already ignored: nothing to decide, no background work.
        expect(decisions.decided).toHaveLength(2)
        // An event without an account is unrouted too.
        yield* receive({ id: "d3", type: "quiet" })
        expect((yield* eventsOf(TenantId.make("_unrouted"))).map((event) => event.deliveryId).sort()).toEqual(["d0", "d3"])
      })))

  it.effect("answers a handshake without storing anything", () =>
    inWorld(({ decisions }) =>
      Effect.gen(function*() {
        yield* installed("acct-1")
        const outcome = yield* receive({ id: "h", type: "verify", account: "acct-1", challenge: "c-1" })
        expect(outcome).toEqual({ _tag: "Handshake", handshake: { status: 200, contentType: "text/plain", body: "c-1" } })
        expect(yield* eventsOf(tenantA)).toEqual([])
        expect(decisions.decided).toEqual([])
      })))

  it.effect("reads the body under the smaller of the provider's and the deployment's limits", () =>
    Effect.gen(function*() {
      const big = thing("d", "a", { pad: "x".repeat(200) })
      const refused = (overrides: Partial<KernelConfig["Service"]>, options: { readonly maxBodyBytes?: number }) =>
        inWorld(() => Effect.flip(receive(big)), overrides, options)
      expect(yield* refused({}, { maxBodyBytes: 100 })).toMatchObject({ reason: "TooLarge", message: "The body is larger than 100 bytes" })
      expect(yield* refused({ maxBodyBytes: 120 }, { maxBodyBytes: 100_000 })).toMatchObject({ message: "The body is larger than 120 bytes" })
      expect(yield* refused({ maxBodyBytes: 150 }, {})).toMatchObject({ message: "The body is larger than 150 bytes" })
      yield* inWorld(() => receive(big), { maxBodyBytes: 1000 }, { maxBodyBytes: 1000 })
    }))

  it.effect("a signature that does not verify stores nothing", () =>
    inWorld(() =>
      Effect.gen(function*() {
        yield* installed("acct-1")
        expect(yield* Effect.flip(receive(thing("d", "acct-1"), { secret: "forged" }))).toMatchObject({ reason: "BadSignature" })
        expect(yield* eventsOf(tenantA)).toEqual([])
      })))

  it.effect("limits each owning tenant's webhooks before storing", () =>
    inWorld(() =>
      Effect.gen(function*() {
        yield* installed("acct-1")
        yield* receive(thing("d1", "acct-1"))
        expect(yield* Effect.flip(receive(thing("d2", "acct-1")))).toMatchObject({ _tag: "LimitExceeded" })
        expect(yield* eventsOf(tenantA)).toHaveLength(1)
      }), { tenantLimits: { webhooksPerMinute: 1, toolCallsPerMinute: 0 } }))
})

describe("lifecycle events", () => {
  const statusOf = (tenantId: TenantId, id: string) =>
    Effect.gen(function*() {
      const installation = yield* (yield* InstallationStore).get(tenantId, id as never)
      const publications = yield* (yield* PublicationStore).listByInstallation(tenantId, id as never)
      return [Option.getOrThrow(installation).status, ...publications.map((publication) => publication.status)]
    })

  it.effect("revoked and suspended stop the installation; unsuspended brings it back; installed changes nothing", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const { installation } = yield* installed("acct-1")
        yield* receive(thing("i", "acct-1", { lifecycle: "installed" }))
        expect(yield* statusOf(tenantA, installation.id)).toEqual(["active", "active"])
        yield* receive(thing("s", "acct-1", { lifecycle: "suspended" }))
        expect(yield* statusOf(tenantA, installation.id)).toEqual(["revoked", "paused"])
        // Already revoked: a second revocation changes nothing (and does not fail).
        yield* receive(thing("r", "acct-1", { lifecycle: "revoked" }))
        expect(yield* statusOf(tenantA, installation.id)).toEqual(["revoked", "paused"])
        yield* receive(thing("u", "acct-1", { lifecycle: "unsuspended" }))
        expect(yield* statusOf(tenantA, installation.id)).toEqual(["active", "active"])
        // Unsuspending an active installation leaves it be; a duplicate lifecycle event is not applied again.
        yield* receive(thing("u2", "acct-1", { lifecycle: "unsuspended" }))
        yield* receive(thing("r2", "acct-1", { lifecycle: "revoked" }))
        expect(yield* statusOf(tenantA, installation.id)).toEqual(["revoked", "paused"])
        yield* (yield* InstallationStore).setStatus(tenantA, installation.id, "active", NOW)
        yield* receive(thing("r2", "acct-1", { lifecycle: "revoked" }))
        expect((yield* statusOf(tenantA, installation.id))[0]).toBe("active")
      })))
})

describe("lifecycle events, more", () => {
  const installationOf = (tenantId: TenantId, id: string) =>
    Effect.map(Effect.flatMap(InstallationStore, (store) => store.get(tenantId, id as never)), Option.getOrThrow)
  const publicationsOf = (tenantId: TenantId, id: string) =>
    Effect.flatMap(PublicationStore, (store) => store.listByInstallation(tenantId, id as never))

  it.effect("say why in the log: suspended, revoked, lifted", () => {
    const { lines, capturing } = captureLogs()
    return inWorld(() =>
      Effect.gen(function*() {
        yield* installed("acct-1")
        yield* receive(thing("s", "acct-1", { lifecycle: "suspended" }))
        yield* receive(thing("u", "acct-1", { lifecycle: "unsuspended" }))
        yield* receive(thing("r", "acct-1", { lifecycle: "revoked" }))
        expect(lines.filter((line) => line.message.startsWith("installation ")).map((line) => line.message)).toEqual([
          "installation revoked the vendor suspended the installation",
          "installation reactivated the vendor lifted a suspension",
          "installation revoked the vendor revoked the installation"
        ])
      })).pipe(capturing)
  })

  it.effect("an installation already revoked is left as it is, and unsuspending an active one leaves its paused publications paused", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const { installation } = yield* installed("acct-1")
        yield* receive(thing("r1", "acct-1", { lifecycle: "revoked" }))
        const revokedAt = (yield* installationOf(tenantA, installation.id)).updatedAt
        yield* TestClock.adjust("1 minute")
        yield* receive(thing("r2", "acct-1", { lifecycle: "revoked" }))
        expect((yield* installationOf(tenantA, installation.id)).updatedAt).toBe(revokedAt)
        yield* receive(thing("u1", "acct-1", { lifecycle: "unsuspended" }))
        yield* (yield* PublicationStore).setStatusByInstallation(tenantA, installation.id, "paused", NOW)
        yield* receive(thing("u2", "acct-1", { lifecycle: "unsuspended" }))
        expect((yield* publicationsOf(tenantA, installation.id)).map((publication) => publication.status)).toEqual(["paused"])
      })))

  it.effect("apply to every tenant that installed the account", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const first = yield* installed("acct-3", tenantA)
        const second = yield* installed("acct-3", tenantB)
        yield* receive(thing("r", "acct-3", { lifecycle: "revoked" }))
        expect((yield* installationOf(tenantA, first.installation.id)).status).toBe("revoked")
        expect((yield* installationOf(tenantB, second.installation.id)).status).toBe("revoked")
      })))

  it.effect("apply only to the tenants that stored the event now, not to one that had it already", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const first = yield* installed("acct-1", tenantA)
        yield* receive(thing("r", "acct-1", { lifecycle: "revoked" }))
        yield* (yield* InstallationStore).setStatus(tenantA, first.installation.id, "active", NOW)
        const second = yield* installed("acct-1", tenantB)
        // The vendor redelivers: tenant A has it, tenant B stores it now.
        yield* receive(thing("r", "acct-1", { lifecycle: "revoked" }))
        expect((yield* installationOf(tenantB, second.installation.id)).status).toBe("revoked")
        expect((yield* installationOf(tenantA, first.installation.id)).status).toBe("active")
      })))
})

describe("a tenant's own app", () => {
  const app = (tenantId = tenantA) =>
    Effect.gen(function*() {
      const registrations = yield* Registrations
      const { registration } = yield* registrations.create(tenantId, "hooks", "App")
      yield* registrations.paste(tenantId, registration.id, { clientId: "c", clientSecret: "app-secret" })
      return registration.id
    })

  it.effect("speaks only for its tenant's installations of that app, verified with the app's secret", () =>
    inWorld(({ decisions }) =>
      Effect.gen(function*() {
        const appId = yield* app()
        const viaApp = yield* seed({ providerId: "hooks", tenantId: tenantA, tokens: new Vendor().tokens("a"), registrationId: appId, externalAccountId: "acct-1" })
        yield* installed("acct-1", tenantB)
        const outcome = yield* receive(thing("d1", "acct-1"), { registration: appId, secret: "app-secret" })
        expect(outcome._tag === "Acknowledged" && outcome.eventIds).toHaveLength(1)
        expect((yield* eventsOf(tenantA)).map((event) => event.deliveryId)).toEqual(["d1"])
        expect(yield* eventsOf(tenantB)).toEqual([])
        expect(decisions.decided.map(({ event }) => event.tenantId)).toEqual([tenantA])
        // The deployment's URL speaks for the installations of no app: tenant B's.
        yield* receive(thing("d2", "acct-1"))
        expect((yield* eventsOf(tenantB)).map((event) => event.deliveryId)).toEqual(["d2"])
        expect((yield* eventsOf(tenantA)).map((event) => event.deliveryId)).toEqual(["d1"])
        // The app's URL with the deployment's secret, or the other way round, does not verify.
        expect(yield* Effect.flip(receive(thing("d3", "acct-1"), { registration: appId }))).toMatchObject({ reason: "BadSignature" })
        expect(yield* Effect.flip(receive(thing("d4", "acct-1"), { secret: "app-secret" }))).toMatchObject({ reason: "BadSignature" })
        expect(viaApp.installation.registrationId).toBe(appId)
      })))

  it.effect("another tenant's app does not speak for this tenant's installations of the same account", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const appA = yield* app(tenantA)
        const appB = yield* app(tenantB)
        yield* seed({ providerId: "hooks", tenantId: tenantA, tokens: new Vendor().tokens("a"), registrationId: appA, externalAccountId: "acct-1" })
        yield* receive(thing("d1", "acct-1"), { registration: appB, secret: "app-secret" })
        expect(yield* eventsOf(tenantA)).toEqual([])
        expect((yield* eventsOf(TenantId.make("_unrouted"))).map((event) => event.deliveryId)).toEqual(["d1"])
      })))

  it.effect("does not speak for a deployment installation of its own tenant, nor for a row of another tenant naming it", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const appId = yield* app()
        yield* installed("acct-1", tenantA)
        yield* seed({ providerId: "hooks", tenantId: tenantB, tokens: new Vendor().tokens("b"), registrationId: appId, externalAccountId: "acct-1" })
        yield* receive(thing("d1", "acct-1"), { registration: appId, secret: "app-secret" })
        expect(yield* eventsOf(tenantA)).toEqual([])
        expect(yield* eventsOf(tenantB)).toEqual([])
        expect((yield* eventsOf(TenantId.make("_unrouted"))).map((event) => event.deliveryId)).toEqual(["d1"])
      })))

  it.effect("adopts an announced account another tenant installed without the app; a failed adoption leaves the event unrouted", () => {
    const { lines, capturing } = captureLogs()
    return inWorld(({ vendor }) =>
      Effect.gen(function*() {
        const appId = yield* app()
        yield* installed("acct-shared", tenantB)
        yield* receive(thing("s1", "acct-shared", { lifecycle: "installed" }), { registration: appId, secret: "app-secret" })
        expect((yield* eventsOf(tenantA)).map((event) => event.deliveryId)).toEqual(["s1"])
        expect(vendor.adoptions).toBe(1)
        // Announced again: the app's installation exists, the vendor is not asked again.
        yield* receive(thing("s2", "acct-shared", { lifecycle: "installed" }), { registration: appId, secret: "app-secret" })
        expect(vendor.adoptions).toBe(1)
        vendor.adoptFails = true
        const outcome = yield* receive(thing("f1", "acct-failing", { lifecycle: "installed" }), { registration: appId, secret: "app-secret" })
        expect(outcome).toMatchObject({ status: "accepted" })
        expect((yield* eventsOf(TenantId.make("_unrouted"))).map((event) => event.deliveryId)).toEqual(["f1"])
        expect(lines.filter((line) => line.message.startsWith("could not adopt an announced installation")).map((line) => line.message))
          .toEqual(["could not adopt an announced installation the vendor does not know this installation"])
      })).pipe(capturing)
  })

  it.effect("an installation the app announces is connected first, once, and owns the event", () =>
    inWorld(() =>
      Effect.gen(function*() {
        const appId = yield* app()
        yield* receive(thing("n1", "acct-new", { lifecycle: "installed" }), { registration: appId, secret: "app-secret" })
        const [adopted] = yield* (yield* InstallationStore).findByAccount("hooks" as never, "acct-new")
        expect(adopted).toMatchObject({ tenantId: tenantA, registrationId: appId, status: "active" })
        expect((yield* eventsOf(tenantA)).map((event) => event.deliveryId)).toEqual(["n1"])
        yield* receive(thing("n2", "acct-new", { lifecycle: "installed" }), { registration: appId, secret: "app-secret" })
        expect(yield* (yield* InstallationStore).findByAccount("hooks" as never, "acct-new")).toHaveLength(1)
        // Not announced as installed, or not through an app: nothing is adopted.
        yield* receive(thing("n3", "acct-other"), { registration: appId, secret: "app-secret" })
        yield* receive(thing("n4", "acct-deploy", { lifecycle: "installed" }))
        expect(yield* (yield* InstallationStore).findByAccount("hooks" as never, "acct-other")).toEqual([])
        expect(yield* (yield* InstallationStore).findByAccount("hooks" as never, "acct-deploy")).toEqual([])
      })))
})

describe("the acknowledgement", () => {
  it.effect("runs for an installation with a publication the event dispatches to, refreshed once when refused", () =>
    inWorld(({ sightings }) =>
      Effect.gen(function*() {
        yield* installed("acct-1")
        yield* receive(thing("a1", "acct-1"))
        expect(sightings.acknowledged).toEqual(["a1:tok-ten_a"])
        sightings.refused.add("tok-ten_a")
        yield* receive(thing("a2", "acct-1"))
        expect(sightings.acknowledged).toEqual(["a1:tok-ten_a", "a2:tok-ten_a+"])
        // An event the publications ignore, or one for paused publications only, is not acknowledged.
        yield* receive(thing("a3", "acct-1", { thing: { id: "a3", ignored: true } }))
        yield* receive({ id: "q", type: "quiet", account: "acct-1" })
        expect(sightings.acknowledged).toHaveLength(2)
      })))

  it.effect("refreshes only a token the vendor refused, and acknowledges each tenant with its own token", () =>
    inWorld(({ sightings }) =>
      Effect.gen(function*() {
        const { installation } = yield* installed("acct-2", tenantA)
        yield* installed("acct-2", tenantB)
        yield* receive(thing("t1", "acct-2"))
        expect([...sightings.acknowledged].sort()).toEqual(["t1:tok-ten_a", "t1:tok-ten_b"])
        sightings.failing = true
        yield* receive(thing("t2", "acct-2"))
        expect(Redacted.value((yield* (yield* InstallationTokens).get(installation)).accessToken)).toBe("tok-ten_a")
      })))

  it.effect("waits for no paused publication and no revoked installation", () =>
    inWorld(({ sightings }) =>
      Effect.gen(function*() {
        const { installation } = yield* installed("acct-1")
        yield* (yield* PublicationStore).setStatusByInstallation(tenantA, installation.id, "paused", NOW)
        yield* receive(thing("p1", "acct-1"))
        expect(sightings.acknowledged).toEqual([])
        yield* (yield* PublicationStore).setStatusByInstallation(tenantA, installation.id, "active", NOW)
        yield* (yield* InstallationStore).setStatus(tenantA, installation.id, "revoked", NOW)
        yield* receive(thing("p2", "acct-1"))
        expect(sightings.acknowledged).toEqual([])
      })))
})

describe("observability", () => {
  it.effect("a delivery runs in the Webhooks.receive span, annotated with its correlation id and provider", () => {
    const spans: Array<Tracer.NativeSpan> = []
    const tracer = Tracer.make({
      span: (options) => {
        const span = new Tracer.NativeSpan(options)
        spans.push(span)
        return span
      }
    })
    return inWorld(() =>
      Effect.gen(function*() {
        yield* receive(thing("d", "acct-1"))
        const receiveSpan = spans.find((span) => span.name === "Webhooks.receive")
        expect(Object.fromEntries(receiveSpan?.attributes ?? [])).toMatchObject({ correlationId: "d", providerId: "hooks" })
      })).pipe(Effect.withTracer(tracer))
  })

  it.effect("every log line from receipt to the background work carries the vendor's delivery id", () => {
    const lines: Array<{ readonly message: string; readonly annotations: Readonly<Record<string, unknown>> }> = []
    const capture = Logger.make((options) => {
      const message = Array.isArray(options.message) ? options.message.map(String).join(" ") : String(options.message)
      lines.push({ message, annotations: options.fiber.getRef(References.CurrentLogAnnotations) })
    })
    return inWorld(({ decisions }) =>
      Effect.gen(function*() {
        yield* installed("acct-1")
        const outcome = yield* receive(thing("d1", "acct-1"))
        yield* receive(thing("d1", "acct-1"))
        const [eventId] = outcome._tag === "Acknowledged" ? outcome.eventIds : []
        const byMessage = (prefix: string) => lines.filter((line) => line.message.startsWith(prefix)).map((line) => line.annotations)
        expect(byMessage("webhook accepted")).toEqual([
          expect.objectContaining({ correlationId: "d1", providerId: "hooks", deliveryId: "d1", eventType: "thing" })
        ])
        expect(byMessage("duplicate webhook delivery d1")).toEqual([expect.objectContaining({ correlationId: "d1", providerId: "hooks" })])
        expect(byMessage("acknowledging")).toEqual([expect.objectContaining({ correlationId: "d1" })])
        expect(byMessage("deciding")).toEqual([
          expect.objectContaining({ correlationId: "d1", deliveryId: "d1", eventId, providerId: "hooks" })
        ])
        expect(decisions.background).toEqual(["acknowledge", "dispatch"])
      })).pipe(
      Effect.provide(Logger.layer([capture])),
      // Accepted and duplicate deliveries log at debug (not written on the hot path by default).
      Effect.provideService(References.MinimumLogLevel, "Debug")
    )
  })
})

