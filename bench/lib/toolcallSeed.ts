/**
 * The database the tool-call bench serves from: a tenant, a Linear installation (installed
 * through the fake's OAuth consent, in process, as the test kernel does), a publication granting
 * `teams:read`, and a session token for it minted with the same signing key the served process
 * gets. Returned with the settings that process needs to read those rows.
 */
import { Effect, Redacted, Schema } from "effect"
import { InstallationId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import { startTestKernel } from "../../test/support/kernel.ts"
import { SessionTokens } from "../../kernel/vault/SessionTokens.ts"

export interface Seeded {
  readonly token: string
  readonly env: Readonly<Record<string, string>>
}

export const seed = async (database: string): Promise<Seeded> => {
  // The in-process kernel logs as a server does; a bench prints only its rows.
  const quiet = { log: console.log, info: console.info, warn: console.warn }
  console.log = console.info = console.warn = () => {}
  try {
    return await seedQuietly(database)
  } finally {
    Object.assign(console, quiet)
  }
}

const seedQuietly = async (database: string): Promise<Seeded> => {
  const vaultKeys = `k1:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`
  const kernel = await startTestKernel({ database, env: { SWITCHBOARD_VAULT_KEYS: vaultKeys } })
  try {
    const { tenantId, apiKey } = await kernel.createTenant("bench")
    const installationId = await kernel.installLinear(apiKey)
    const publication = await kernel.publish(apiKey, { installationId, agentId: "bench", scopes: ["teams:read"], granularity: "issue" })
    const publicUrl = "http://switchboard.test"
    const minted = await Effect.runPromise(
      SessionTokens.make(Redacted.make(kernel.secrets.signing), publicUrl).mint({
        tenantId: Schema.decodeSync(TenantId)(tenantId),
        publicationId: Schema.decodeSync(PublicationId)(publication.id),
        installationId: Schema.decodeSync(InstallationId)(installationId),
        sessionKey: "bench-session",
        scopes: ["teams:read"]
      }, 24 * 60 * 60)
    )
    return {
      token: minted.token,
      env: {
        SWITCHBOARD_PUBLIC_URL: publicUrl,
        MCP_SIGNING_KEY: kernel.secrets.signing,
        SWITCHBOARD_VAULT_KEYS: vaultKeys,
        LINEAR_CLIENT_ID: "lin_client",
        LINEAR_CLIENT_SECRET: "lin_secret",
        LINEAR_WEBHOOK_SECRET: kernel.secrets.webhook
      }
    }
  } finally {
    await kernel.close()
  }
}
