/**
 * The security-critical services' keys: unique (two services under one key would silently stand
 * in for each other in a layer) and named after their folder and class, as the house style asks,
 * so a "Service not found" error names the file to look in.
 */
import { describe, expect, it } from "@effect/vitest"
import { Install } from "../../kernel/install/Install.ts"
import { InstallationTokens } from "../../kernel/install/InstallationTokens.ts"
import { Registrations } from "../../kernel/install/Registrations.ts"
import { Revocation } from "../../kernel/install/Revocation.ts"
import { Tools } from "../../kernel/tools/Tools.ts"
import { InstallTickets } from "../../kernel/vault/InstallTickets.ts"
import { SessionTokens } from "../../kernel/vault/SessionTokens.ts"
import { Vault } from "../../kernel/vault/Vault.ts"
import { Webhooks } from "../../kernel/webhooks/Webhooks.ts"

describe("service keys", () => {
  it("are unique and say where each service lives", () => {
    const services = { Install, InstallationTokens, Registrations, Revocation, Tools, InstallTickets, SessionTokens, Vault, Webhooks }
    const keys = Object.entries(services).map(([name, service]) => [name, service.key] as const)
    expect(new Set(keys.map(([, key]) => key)).size).toBe(keys.length)
    for (const [name, key] of keys) expect(key, name).toMatch(new RegExp(`^switchboard/(vault|install|tools|webhooks)/${name}$`))
  })
})
