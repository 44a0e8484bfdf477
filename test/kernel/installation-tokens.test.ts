import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Option, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { tokenSet } from "../../kernel/domain/Credentials.ts"
import { InstallationId, ProviderId, TenantId } from "../../kernel/domain/Ids.ts"
import type { Installation } from "../../kernel/domain/Installation.ts"
import { base64Encode } from "../../kernel/encoding/Encoding.ts"
import { InstallationTokens } from "../../kernel/install/InstallationTokens.ts"
import { Registrations } from "../../kernel/install/Registrations.ts"
import { Revocation } from "../../kernel/install/Revocation.ts"
import { KernelConfig } from "../../kernel/KernelConfig.ts"
import { Registry } from "../../kernel/registry/Registry.ts"
import { InstallationStore } from "../../kernel/store/InstallationStore.ts"
import { Vault } from "../../kernel/vault/Vault.ts"
import { storesInMemory } from "../support/storesInMemory.ts"

/** The real vault, with every `open` counted. */
const opens = { count: 0 }
const countingVault = Layer.effect(
  Vault,
  Effect.gen(function*() {
    const config = yield* KernelConfig
    const vault = yield* Vault.make(config.vaultKeys)
    return Vault.of({
      seal: vault.seal,
      open: (sealed, binding) => Effect.suspend(() => {
        opens.count++
        return vault.open(sealed, binding)
      })
    })
  })
)

const ServiceLayer = InstallationTokens.layer.pipe(
  Layer.provideMerge(Registrations.layer),
  Layer.provideMerge(Revocation.layer),
  Layer.provideMerge(countingVault),
  Layer.provideMerge(Layer.mergeAll(storesInMemory, Registry.layer([]), KernelConfig.layerConfig, FetchHttpClient.layer)),
  Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({
    SWITCHBOARD_PUBLIC_URL: "http://switchboard.test",
    MCP_SIGNING_KEY: "s".repeat(48),
    SWITCHBOARD_VAULT_KEYS: `k1:${base64Encode(new Uint8Array(32).fill(7))}`
  })))
)

const installation: Installation = {
  id: InstallationId.make("ins_tokens"),
  tenantId: TenantId.make("ten_tokens"),
  providerId: ProviderId.make("widgets"),
  externalAccountId: "acct",
  displayName: "Widgets",
  status: "active",
  grantedScopes: [],
  registrationId: null,
  metadata: {},
  createdAt: 0,
  updatedAt: 0
}

describe("InstallationTokens", () => {
  it.effect("opens the sealed tokens once while the stored secret is unchanged, and again once it changes", () =>
    Effect.gen(function*() {
      const tokens = yield* InstallationTokens
      const installations = yield* InstallationStore
      const vault = yield* Vault
      const first = tokenSet({ accessToken: "first", now: 0, scopes: [] })
      const sealed = yield* vault.seal(Redacted.make(JSON.stringify({ accessToken: "unused" })), "unused")
      yield* installations.upsert(installation, { sealed, expiresAt: null })
      yield* tokens.store(installation, first)
      opens.count = 0
      expect(Redacted.value((yield* tokens.get(installation)).accessToken)).toBe("first")
      expect(Redacted.value((yield* tokens.get(installation)).accessToken)).toBe("first")
      expect(opens.count).toBe(1)
      // Another process refreshed them: the stored text changed, so they are opened again.
      yield* tokens.store(installation, tokenSet({ accessToken: "second", now: 0, scopes: [] }))
      expect(Redacted.value((yield* tokens.get(installation)).accessToken)).toBe("second")
      expect(opens.count).toBe(2)
      expect(Option.isNone((yield* tokens.get(installation)).expiresAt)).toBe(true)
      expect(opens.count).toBe(2)
    }).pipe(Effect.provide(ServiceLayer)))
})
