/**
 * A webhook declaration run by the kernel: verify, parse once, read only the envelope before the
 * acknowledgement, decode the event with its Schema when it is decided (once), and turn unknown
 * or off-shape events into ignores with a reason rather than refusals.
 */
import { Effect, Exit, Option, Redacted, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { signHmacSha256Hex } from "../../../kernel/crypto/Hmac.ts"
import { InstallationId, ProviderId, PublicationId, TenantId } from "../../../kernel/domain/Ids.ts"
import type { Installation } from "../../../kernel/domain/Installation.ts"
import type { Publication } from "../../../kernel/domain/Publication.ts"
import { utf8Encode } from "../../../kernel/encoding/Encoding.ts"
import { on } from "../../../kernel/provider/Events.ts"
import * as Routing from "../../../kernel/provider/Routing.ts"
import { hmacSha256 } from "../../../kernel/provider/Signature.ts"
import { defineWebhook, header } from "../../../kernel/provider/Webhook.ts"
import { receiverOf } from "../../../kernel/webhooks/Receiver.ts"

const installation: Installation = {
  id: InstallationId.make("ins_1"),
  tenantId: TenantId.make("ten_1"),
  providerId: ProviderId.make("acme"),
  externalAccountId: "org-1",
  registrationId: null,
  displayName: "Acme",
  status: "active",
  grantedScopes: [],
  metadata: {},
  createdAt: 0,
  updatedAt: 0
}

const publication: Publication = {
  id: PublicationId.make("pub_1"),
  tenantId: TenantId.make("ten_1"),
  installationId: InstallationId.make("ins_1"),
  agentId: "agent-1",
  scopes: [],
  granularity: "issue",
  filters: {},
  status: "active",
  createdAt: 0,
  updatedAt: 0
}

const Ticket = Schema.Struct({ ticket: Schema.Struct({ id: Schema.String, title: Schema.String }) })

let decodes = 0
const Counted = Ticket.pipe(Schema.check(Schema.makeFilter(() => {
  decodes++
  return true
})))

const webhook = defineWebhook({
  signature: hmacSha256({ header: "x-acme-signature", secrets: () => [Redacted.make("s3cret")], notConfigured: "set ACME_SECRET" }),
  envelope: {
    schema: Schema.Struct({ event: Schema.String, org: Schema.optional(Schema.String), challenge: Schema.optional(Schema.String) }),
    deliveryId: (_, source) => header(source, "x-acme-delivery") ?? `digest:${source.digest}`,
    eventType: (envelope) => envelope.event,
    account: (envelope) => envelope.org,
    lifecycle: (_, eventType) => eventType === "app.removed" ? "revoked" : undefined,
    handshake: (envelope, eventType) =>
      eventType === "hello" ? { status: 200, contentType: "text/plain", body: envelope.challenge ?? "" } : undefined
  },
  events: {
    "ticket": on(Counted, (event, context) =>
      Routing.start(
        Routing.route({
          provider: "Acme",
          publication: context.publication,
          subject: `${context.eventType} ${event.ticket.id}`,
          trigger: "mention",
          sessionKeys: { issue: `acme:ticket:${event.ticket.id}` },
          context: { ticketId: event.ticket.id }
        }),
        { prompt: event.ticket.title, actor: null }
      ))
  }
})

const receiver = receiverOf({ displayName: "Acme", webhook })

const raw = async (payload: unknown, headers: Record<string, string> = {}) => {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload)
  const signature = await Effect.runPromise(signHmacSha256Hex(Redacted.make("s3cret"), body))
  return { headers: new Headers({ "x-acme-signature": signature, ...headers }), body: utf8Encode(body), receivedAt: Date.now() }
}

const reasonOf = async <A>(effect: Effect.Effect<A, { readonly reason: string }>) => {
  const exit = await Effect.runPromiseExit(effect)
  const error = Exit.findErrorOption(exit)
  return Option.isSome(error) ? error.value.reason : "passed"
}

describe("the kernel's webhook receiver", () => {
  it("reads only the envelope before the ack, and decodes the event once when it is decided", async () => {
    decodes = 0
    const decoded = await Effect.runPromise(
      receiver.receive(await raw({ event: "ticket.opened", org: "org-1", ticket: { id: "T-1", title: "Fix it" } }, { "x-acme-delivery": "d-1" }), Option.none())
    )
    expect(decoded).toMatchObject({ deliveryId: "d-1", eventType: "ticket.opened", externalAccountId: Option.some("org-1") })
    expect(decodes).toBe(0)
    const first = decoded.decide(installation, publication)
    decoded.decide(installation, { ...publication, id: PublicationId.make("pub_2") })
    expect(decodes).toBe(1)
    expect(first).toMatchObject({
      _tag: "Dispatch",
      intent: { sessionKey: "acme:ticket:T-1", mode: "start", prompt: "Fix it", context: { trigger: "mention", ticketId: "T-1" } }
    })
  })

  it("ignores unknown and off-shape events with a reason instead of refusing them", async () => {
    const unknown = await Effect.runPromise(receiver.receive(await raw({ event: "sprint.started" }), Option.none()))
    expect(unknown.decide(installation, publication)).toEqual({ _tag: "Ignore", reason: "Acme event \"sprint.started\" is not handled by this provider" })
    const offShape = await Effect.runPromise(receiver.receive(await raw({ event: "ticket.opened", ticket: { id: 1 } }), Option.none()))
    const decision = offShape.decide(installation, publication)
    expect(decision._tag).toBe("Ignore")
    expect(decision._tag === "Ignore" && decision.reason).toContain("ticket.opened payload is not in the documented shape")
  })

  it("derives a delivery id from the body digest when the vendor sends none, stable across resends", async () => {
    const first = await Effect.runPromise(receiver.receive(await raw({ event: "ticket" }), Option.none()))
    const again = await Effect.runPromise(receiver.receive(await raw({ event: "ticket" }), Option.none()))
    expect(first.deliveryId).toMatch(/^digest:[0-9a-f]{64}$/)
    expect(again.deliveryId).toBe(first.deliveryId)
  })

  it("answers handshakes and reads lifecycle events from the envelope", async () => {
    const hello = await Effect.runPromise(receiver.receive(await raw({ event: "hello", challenge: "abc" }), Option.none()))
    expect(hello.handshake).toEqual(Option.some({ status: 200, contentType: "text/plain", body: "abc" }))
    const removed = await Effect.runPromise(receiver.receive(await raw({ event: "app.removed", org: "org-1" }), Option.none()))
    expect(removed.lifecycle).toEqual(Option.some("revoked"))
  })

  it("refuses what has nothing to route by (400), and checks the signature before parsing (401)", async () => {
    for (const body of ["", "not json", "[]", "null", "42", "{}", "{\"event\":\"\"}"]) {
      expect(await reasonOf(receiver.receive(await raw(body), Option.none())), body).toBe("Malformed")
    }
    const forged = { ...(await raw("{not json")), headers: new Headers({ "x-acme-signature": "00".repeat(32) }) }
    expect(await reasonOf(receiver.receive(forged, Option.none()))).toBe("BadSignature")
  })

  it("rereads a stored delivery without its signature or the clock", async () => {
    const stored = { ...(await raw({ event: "ticket", ticket: { id: "T-2", title: "Later" } })), headers: new Headers(), receivedAt: 0 }
    const decoded = await Effect.runPromise(receiver.reread(stored))
    expect(decoded.decide(installation, publication)).toMatchObject({ _tag: "Dispatch", intent: { sessionKey: "acme:ticket:T-2" } })
  })
})

describe("kernel routing", () => {
  const request = (overrides: Partial<Routing.RouteRequest> = {}): Routing.RouteRequest => ({
    provider: "Acme",
    publication,
    subject: "ticket.opened T-1",
    trigger: "mention",
    sessionKeys: { issue: "acme:ticket:T-1", workspace: "acme:org:org-1" },
    context: { ticketId: "T-1" },
    ...overrides
  })

  it("picks the session key by granularity and refuses the ones the provider does not support", () => {
    expect(Routing.route(request())).toMatchObject({ _tag: "Route", sessionKey: "acme:ticket:T-1" })
    expect(Routing.route(request({ publication: { ...publication, granularity: "workspace" } }))).toMatchObject({ sessionKey: "acme:org:org-1" })
    expect(Routing.route(request({ publication: { ...publication, granularity: "thread" } }))).toEqual(
      Routing.skip("Acme does not support \"thread\" granularity")
    )
  })

  it("applies the trigger filter (never to stops) and the provider's filters, each with its reason", () => {
    const onlyAssignments = { ...publication, filters: { trigger: ["assignment"], team: ["ENG"] } }
    expect(Routing.route(request({ publication: onlyAssignments }))).toEqual(
      Routing.skip("ticket.opened T-1 is a \"mention\" trigger, which this publication's trigger filter leaves out")
    )
    const team = (name: string): Routing.FilterCheck => ({ key: "team", admits: (wanted) => Routing.matchesAny(wanted, name), outside: `T-1 is in ${name}` })
    expect(Routing.route(request({ publication: onlyAssignments, trigger: "stop", filters: [team("eng")] }))._tag).toBe("Route")
    expect(Routing.route(request({ publication: onlyAssignments, trigger: "stop", filters: [team("OPS")] }))).toEqual(Routing.skip("T-1 is in OPS"))
  })

  it("gives an opt-in trigger (one outside the provider's defaults) only to publications whose trigger filter names it", () => {
    const optIn = request({ trigger: "comment", defaultTriggers: ["mention", "assignment"] })
    expect(Routing.route(optIn)).toEqual(
      Routing.skip("ticket.opened T-1 is a \"comment\" trigger, which a publication gets only when its trigger filter names it")
    )
    expect(Routing.route({ ...optIn, trigger: "mention" })).toMatchObject({ _tag: "Route", context: { trigger: "mention" } })
    const comments = { ...publication, filters: { trigger: ["comment"] } }
    expect(Routing.route({ ...optIn, publication: comments })).toMatchObject({ _tag: "Route", context: { trigger: "comment" } })
    expect(Routing.route({ ...optIn, publication: comments, trigger: "mention" })).toEqual(
      Routing.skip("ticket.opened T-1 is a \"mention\" trigger, which this publication's trigger filter leaves out")
    )
    expect(Routing.route({ ...optIn, trigger: "stop" })._tag).toBe("Route")
    // Without defaults, no trigger filter means every trigger.
    expect(Routing.route(request({ trigger: "comment" }))._tag).toBe("Route")
  })

  it("stops an item's own session and only tells a wider one", () => {
    const routed = Routing.route(request({ trigger: "stop" }))
    expect(Routing.stopOrResume(routed, { prompt: "stop", actor: null }, publication)).toMatchObject({ intent: { mode: "stop" } })
    const wide = { ...publication, granularity: "workspace" as const }
    expect(Routing.stopOrResume(Routing.route(request({ publication: wide })), { prompt: "stop", actor: null }, wide)).toMatchObject({
      intent: { mode: "resumeOnly" }
    })
  })

  it("recognises the provider's own bot, ignoring case", () => {
    expect(Routing.isSelf("Agent-Bot[bot]", ["agent-bot[bot]"])).toBe(true)
    expect(Routing.isSelf("someone", ["agent-bot[bot]", null])).toBe(false)
    expect(Routing.isSelf(null, ["agent-bot[bot]"])).toBe(false)
  })
})
