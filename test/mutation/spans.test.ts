/**
 * Each install, token and tool operation runs in a span named after it (README, Observability):
 * what a trace shows an operator, and what the OTLP export carries.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Tracer } from "effect"
import { TestClock } from "effect/testing"
import { Install } from "../../kernel/install/Install.ts"
import { InstallationTokens } from "../../kernel/install/InstallationTokens.ts"
import { Registrations } from "../../kernel/install/Registrations.ts"
import { Tools } from "../../kernel/tools/Tools.ts"
import { installWorld, NOW, seed, tenantA, Vendor } from "./world.ts"

describe("spans", () => {
  it.effect("name the install, token, registration and tool operations", () => {
    const names = new Set<string>()
    const tracer = Tracer.make({
      span: (options) => {
        names.add(options.name)
        return new Tracer.NativeSpan(options)
      }
    })
    const vendor = new Vendor()
    return Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const install = yield* Install
      const registrations = yield* Registrations
      const tokens = yield* InstallationTokens
      const tools = yield* Tools
      const none = { returnUrl: Option.none<string>(), registrationId: Option.none<string>() }
      const started = yield* install.start(tenantA, "widgets", none)
      const state = new URL(started.authorizeUrl).searchParams.get("state") ?? ""
      const { installation } = yield* install.callback("widgets", new URLSearchParams({ code: "c", state }), Option.some(started.browserBinding))
      yield* install.paste(tenantA, "widgets", { apiKey: "k", site: "s" })
      const current = yield* tokens.get(installation)
      yield* tokens.refreshAfterRejection(installation, current)
      const { registration } = yield* registrations.create(tenantA, "widgets", "App")
      yield* registrations.paste(tenantA, registration.id, { clientId: "c", clientSecret: "s" })
      const app = yield* registrations.appContext(tenantA, registration.id)
      yield* registrations.forWebhook("widgets", registration.id)
      const step = yield* registrations.startManifest(tenantA, "widgets", { name: "M", returnUrl: Option.none() })
      const manifestState = step._tag === "FormPost" ? step.fields["state"] ?? "" : ""
      yield* registrations.finishManifest("widgets", new URLSearchParams({ code: "m", state: manifestState }))
      yield* install.adopt(app, "acct-adopted")
      const seeded = yield* seed({ tokens: vendor.tokens("t"), tenantId: tenantA, providerId: "sprockets" })
      yield* install.uninstall(tenantA, installation.id)
      const claims = {
        tenantId: tenantA,
        publicationId: seeded.publication.id,
        installationId: seeded.installation.id,
        sessionKey: "s",
        scopes: [],
        expiresAt: 0
      }
      yield* tools.scopeOf(claims)
      yield* Effect.flip(tools.call(claims, "mcp_widgets_read", { id: "1" }))
      expect([...names].filter((name) => /^(Install|InstallationTokens|Registrations|Tools)\./.test(name)).sort()).toEqual([
        "Install.adopt",
        "Install.callback",
        "Install.paste",
        "Install.start",
        "Install.uninstall",
        "InstallationTokens.get",
        "InstallationTokens.refreshAfterRejection",
        "Registrations.appContext",
        "Registrations.complete",
        "Registrations.create",
        "Registrations.finishManifest",
        "Registrations.forWebhook",
        "Registrations.paste",
        "Registrations.startManifest",
        "Tools.call",
        "Tools.scopeOf"
      ])
    }).pipe(Effect.provide(installWorld(vendor)), Effect.withTracer(tracer))
  })
})
