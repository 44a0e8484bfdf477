/**
 * Keeps refused webhook requests where an operator can see them (`RejectedWebhookStore`) and
 * counts them (`switchboard_webhooks_rejected`). Called by the webhook route once the answer is
 * known, never on the success path.
 *
 * What is kept: provider (a path no provider serves is kept as `unknown`, so random paths cannot
 * open new lists), tenant when the request named it (a tenant's own app URL, or the tenant whose
 * limit refused it), path, status, reason, message, time, and the headers: at most 50, values cut
 * at 512 characters, signature and credential headers under their name as `[redacted]`. Never the
 * body. The newest `KEPT_PER_PROVIDER` per provider stay; past `WRITES_PER_SECOND` refusals of
 * one provider in a second, the rest are only counted, so a flood of bad requests cannot turn
 * into a flood of writes. Recording never fails the request: a storage error is logged.
 */
import { Clock, Context, Effect, Layer, Option } from "effect"
import { AppRegistrationId } from "../domain/AppRegistration.ts"
import { TenantId } from "../domain/Ids.ts"
import { UNKNOWN_PROVIDER } from "../domain/RejectedWebhook.ts"
import { UNROUTED_TENANT } from "../domain/WebhookEvent.ts"
import { randomToken } from "../encoding/Encoding.ts"
import * as Metrics from "../observability/Metrics.ts"
import { Registry } from "../registry/Registry.ts"
import { AppRegistrationStore } from "../store/AppRegistrationStore.ts"
import { RejectedWebhookStore } from "../store/RejectedWebhookStore.ts"
import { declaredSignatureHeaders, withoutCredentials } from "./StoredHeaders.ts"

export const KEPT_PER_PROVIDER = 200
export const WRITES_PER_SECOND = 10
const MAX_HEADERS = 50
const MAX_HEADER_VALUE = 512
const REDACTED = "[redacted]"

export interface Rejection {
  /** The provider segment of the path, as sent. */
  readonly providerId: string
  readonly registrationId: Option.Option<string>
  readonly request: Request
  readonly status: number
  readonly reason: string
  readonly message: string
  /** The tenant the refusal is known to concern (a limit's), if any. */
  readonly tenantId: string | undefined
}

export class Rejections extends Context.Service<Rejections, {
  readonly record: (rejection: Rejection) => Effect.Effect<void>
  // Stryker disable next-line StringLiteral: the key only names the service; each layer is provided by the class, not by name
}>()("switchboard/webhooks/Rejections") {
  static readonly layer = Layer.effect(
    Rejections,
    Effect.gen(function*() {
      const registry = yield* Registry
      const store = yield* RejectedWebhookStore
      const registrations = yield* AppRegistrationStore
      // Per provider: the current second and how many were written in it.
      const writes = new Map<string, { second: number; count: number }>()

      const admitWrite = (providerId: string, now: number): boolean => {
        const second = Math.floor(now / 1000)
        const current = writes.get(providerId)
        if (current === undefined || current.second !== second) {
          writes.set(providerId, { second, count: 1 })
          return true
        }
        current.count += 1
        return current.count <= WRITES_PER_SECOND
      }

      const headersOf = (request: Request, declared: ReadonlyArray<string>): Record<string, string> => {
        const kept = withoutCredentials(request.headers, declared)
        const headers: Record<string, string> = {}
        let count = 0
        for (const [name, value] of request.headers.entries()) {
          if (count++ >= MAX_HEADERS) break
          const lower = name.toLowerCase()
          const clean = kept[lower]
          headers[lower] = clean === undefined ? REDACTED : clean.slice(0, MAX_HEADER_VALUE)
        }
        return headers
      }

      /** The tenant a tenant's own app URL names; none when the registration is not this provider's. */
      const tenantOfRegistration = (providerId: string, registrationId: string) =>
        registrations.findById(AppRegistrationId.make(registrationId)).pipe(
          Effect.map(Option.filter((registration) => registration.providerId === providerId)),
          Effect.map(Option.map((registration) => registration.tenantId))
        )

      const record = (rejection: Rejection) =>
        Effect.gen(function*() {
          const provider = registry.get(rejection.providerId)
          const providerId = Option.isSome(provider) ? provider.value.id : UNKNOWN_PROVIDER
          yield* Metrics.count(Metrics.webhooksRejected, { provider: providerId, reason: rejection.reason })
          const now = yield* Clock.currentTimeMillis
          if (!admitWrite(providerId, now)) return
          const tenantId = rejection.tenantId !== undefined
            ? rejection.tenantId
            : Option.isSome(provider) && Option.isSome(rejection.registrationId)
            ? Option.getOrElse(yield* tenantOfRegistration(providerId, rejection.registrationId.value), () => UNROUTED_TENANT)
            : UNROUTED_TENANT
          const url = new URL(rejection.request.url)
          yield* store.record({
            id: `rej_${randomToken(12)}`,
            tenantId: TenantId.make(tenantId),
            providerId,
            path: url.pathname.slice(0, 300),
            status: rejection.status,
            reason: rejection.reason,
            message: rejection.message.slice(0, 500),
            // Stryker disable next-line ArrayDeclaration: no header is named "Stryker was here" (a header name has no spaces, and is matched lowercased)
            headers: headersOf(rejection.request, Option.isSome(provider) ? declaredSignatureHeaders(provider.value.webhook) : []),
            receivedAt: now
          }, KEPT_PER_PROVIDER)
        }).pipe(
          Effect.catch((error) => Effect.logWarning("could not record a rejected webhook", error.message))
        )

      return Rejections.of({ record })
    })
  )
}
