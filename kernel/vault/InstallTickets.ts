/**
 * Install tickets: short-lived signed links that let a browser start an install for a tenant
 * without carrying the tenant's API key (a navigation cannot send an Authorization header, and
 * a key in a URL would leak into logs and history).
 *
 * A ticket names one tenant and one provider (`/install/<other>` refuses it), must carry an
 * expiry, and is redeemed once: its id is recorded in `InstallTicketStore` until it expires, so
 * a link copied from history or a log is dead after its first use. HS256 with the key derived
 * from MCP_SIGNING_KEY for tickets alone (`DerivedKeys`) and an audience of its own, so neither
 * a session token nor a dispatch signature can stand in for a ticket.
 */
import { Clock, Context, Effect, Layer, Schema } from "effect"
import { jwtVerify, SignJWT } from "jose"
import { ApiError, type StoreError } from "../domain/Errors.ts"
import { type TenantId, TenantId as TenantIdSchema } from "../domain/Ids.ts"
import { randomToken } from "../encoding/Encoding.ts"
import { KernelConfig } from "../KernelConfig.ts"
import { InstallTicketStore } from "../store/InstallTicketStore.ts"
import { deriveKey } from "./DerivedKeys.ts"

const AUDIENCE = "switchboard:install"
const TTL_SECONDS = 10 * 60
/** `exp` and `jti` are required here: jose checks an expiry only when one is present. */
const decodeClaims = Schema.decodeUnknownEffect(Schema.Struct({
  ten: TenantIdSchema,
  prv: Schema.String,
  jti: Schema.String,
  exp: Schema.Number
}))

export class InstallTickets extends Context.Service<InstallTickets, {
  readonly mint: (
    tenantId: TenantId,
    providerId: string
  ) => Effect.Effect<{ readonly ticket: string; readonly providerId: string; readonly expiresAt: number }>
  /** The ticket's tenant, when it is valid for `providerId` and not redeemed before; redeems it. */
  readonly redeem: (ticket: string, providerId: string) => Effect.Effect<TenantId, ApiError | StoreError>
}>()("switchboard/vault/InstallTickets") {
  static readonly layer = Layer.effect(
    InstallTickets,
    Effect.gen(function*() {
      const config = yield* KernelConfig
      const store = yield* InstallTicketStore
      // Derived on first use (a ticket is minted or redeemed), not at start; `DerivedKeys` keeps it.
      const key = () => deriveKey(config.signingKey, "install-ticket")
      const invalid = () => new ApiError({ reason: "Unauthorized", message: "The install link is invalid or has expired" })
      return InstallTickets.of({
        mint: (tenantId, providerId) =>
          Effect.gen(function*() {
            const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
            const ticket = yield* Effect.promise(async () =>
              new SignJWT({ ten: tenantId, prv: providerId })
                .setProtectedHeader({ alg: "HS256", typ: "JWT" })
                .setJti(randomToken(16))
                .setIssuer(config.publicUrl)
                .setAudience(AUDIENCE)
                .setIssuedAt(now)
                .setExpirationTime(now + TTL_SECONDS)
                .sign(await key())
            )
            return { ticket, providerId, expiresAt: (now + TTL_SECONDS) * 1000 }
          }),
        redeem: (ticket, providerId) =>
          Effect.gen(function*() {
            const now = yield* Clock.currentTimeMillis
            const verified = yield* Effect.tryPromise({
              try: async () =>
                jwtVerify(ticket, await key(), {
                  algorithms: ["HS256"],
                  audience: AUDIENCE,
                  issuer: config.publicUrl,
                  currentDate: new Date(now)
                }),
              catch: invalid
            })
            const claims = yield* decodeClaims(verified.payload).pipe(Effect.mapError(invalid))
            if (claims.prv !== providerId) return yield* invalid()
            const fresh = yield* store.redeem({ tenantId: claims.ten, ticketId: claims.jti, expiresAt: claims.exp * 1000 }, now)
            if (!fresh) return yield* invalid()
            return claims.ten
          })
      })
    })
  )
}
