/**
 * Install tickets: short-lived signed links that let a browser start an install for a tenant
 * without carrying the tenant's API key (a navigation cannot send an Authorization header, and
 * a key in a URL would leak into logs and history). HS256 with MCP_SIGNING_KEY and an audience
 * of its own, so neither a session token nor a ticket can stand in for the other.
 */
import { Clock, Context, Effect, Layer, Redacted, Schema } from "effect"
import { jwtVerify, SignJWT } from "jose"
import { ApiError } from "../domain/Errors.ts"
import { type TenantId, TenantId as TenantIdSchema } from "../domain/Ids.ts"
import { KernelConfig } from "../KernelConfig.ts"

const AUDIENCE = "switchboard:install"
const TTL_SECONDS = 10 * 60
const decodeTenant = Schema.decodeUnknownEffect(Schema.Struct({ ten: TenantIdSchema }))

export class InstallTickets extends Context.Service<InstallTickets, {
  readonly mint: (tenantId: TenantId) => Effect.Effect<{ readonly ticket: string; readonly expiresAt: number }>
  readonly verify: (ticket: string) => Effect.Effect<TenantId, ApiError>
}>()("switchboard/vault/InstallTickets") {
  static readonly layer = Layer.effect(
    InstallTickets,
    Effect.gen(function*() {
      const config = yield* KernelConfig
      const key = new TextEncoder().encode(Redacted.value(config.signingKey))
      const invalid = () => new ApiError({ reason: "Unauthorized", message: "The install link is invalid or has expired" })
      return InstallTickets.of({
        mint: (tenantId) =>
          Effect.gen(function*() {
            const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
            const ticket = yield* Effect.promise(() =>
              new SignJWT({ ten: tenantId })
                .setProtectedHeader({ alg: "HS256", typ: "JWT" })
                .setIssuer(config.publicUrl)
                .setAudience(AUDIENCE)
                .setIssuedAt(now)
                .setExpirationTime(now + TTL_SECONDS)
                .sign(key)
            )
            return { ticket, expiresAt: (now + TTL_SECONDS) * 1000 }
          }),
        verify: (ticket) =>
          Effect.gen(function*() {
            const now = yield* Clock.currentTimeMillis
            const verified = yield* Effect.tryPromise({
              try: () =>
                jwtVerify(ticket, key, { algorithms: ["HS256"], audience: AUDIENCE, issuer: config.publicUrl, currentDate: new Date(now) }),
              catch: invalid
            })
            const claims = yield* decodeTenant(verified.payload).pipe(Effect.mapError(invalid))
            return claims.ten
          })
      })
    })
  )
}
