/**
 * The rows a verified delivery is stored as: one per tenant whose installation owns the vendor
 * account, or one unrouted row (stored as ignored) when nobody does. The signature and other
 * credentials are left out of the stored headers (`StoredHeaders.ts`). Both ways of storing a
 * delivery build them here: the Effect pipeline (`Webhooks.ts`) and the webhook lane.
 */
import { Option } from "effect"
import { EventId, TenantId } from "../domain/Ids.ts"
import type { Installation } from "../domain/Installation.ts"
import { UNROUTED_TENANT, type WebhookEvent } from "../domain/WebhookEvent.ts"
import { randomToken } from "../encoding/Encoding.ts"
import type { IntegrationProvider } from "../provider/Provider.ts"
import type { DecodedWebhook } from "./Receiver.ts"
import { declaredSignatureHeaders, withoutCredentials } from "./StoredHeaders.ts"

/**
 * Time-ordered ids (receipt time in fixed-width base 36, then 8 random bytes): a new row's key
 * lands at the end of the primary-key index instead of a random page, which keeps inserts cheap
 * as the table grows. Unique by the random part, as before.
 */
const eventId = (receivedAt: number): EventId => EventId.make(`evt_${receivedAt.toString(36).padStart(9, "0")}${randomToken(8)}`)

export const eventRows = (
  provider: Pick<IntegrationProvider, "id" | "webhook">,
  decoded: DecodedWebhook,
  owners: ReadonlyArray<Installation>,
  requestHeaders: Headers,
  receivedAt: number
): ReadonlyArray<WebhookEvent> => {
  const tenantIds = owners.length > 0
    ? [...new Set(owners.map((installation) => installation.tenantId))]
    : [TenantId.make(UNROUTED_TENANT)]
  const headers = withoutCredentials(requestHeaders, declaredSignatureHeaders(provider.webhook))
  return tenantIds.map((tenantId): WebhookEvent => ({
    id: eventId(receivedAt),
    tenantId,
    providerId: provider.id,
    deliveryId: decoded.deliveryId,
    eventType: decoded.eventType,
    externalAccountId: Option.getOrNull(decoded.externalAccountId),
    status: tenantId === UNROUTED_TENANT ? "ignored" : "received",
    reason: tenantId === UNROUTED_TENANT ? "no installation for this account" : null,
    headers,
    body: decoded.bodyText,
    receivedAt,
    updatedAt: receivedAt
  }))
}
