/**
 * A dispatch's JSON and a delivery's, as `Schema.encode(Schema.fromJsonString(...))` writes them
 * (each schema's fields in its order, nothing else), without walking the schema each time: their
 * types encode as themselves (strings, numbers, booleans, JSON), and with a dispatch's 8 KB
 * prompt the walk was a tenth of a dispatch's cost. Written once per dispatch (the outbox row)
 * and once per delivery (the sink's body). test/kernel/dispatchJson.test.ts holds them to the
 * schemas' text: a field added to a schema and not here fails there.
 */
import type { SessionDelivery, SessionDispatch } from "./SessionDispatch.ts"

/** The fields of `SessionDispatch`, in its order. */
const dispatchFields = (dispatch: SessionDispatch) => ({
  id: dispatch.id,
  tenantId: dispatch.tenantId,
  providerId: dispatch.providerId,
  installationId: dispatch.installationId,
  publicationId: dispatch.publicationId,
  agentId: dispatch.agentId,
  eventId: dispatch.eventId,
  deliveryId: dispatch.deliveryId,
  eventType: dispatch.eventType,
  mode: dispatch.mode,
  sessionKey: dispatch.sessionKey,
  sessionId: dispatch.sessionId,
  prompt: dispatch.prompt,
  stop: dispatch.stop,
  context: dispatch.context,
  actor: dispatch.actor === null ? null : { id: dispatch.actor.id, name: dispatch.actor.name },
  createdAt: dispatch.createdAt
})

export const dispatchJson = (dispatch: SessionDispatch): string => JSON.stringify(dispatchFields(dispatch))

export const deliveryJson = (delivery: SessionDelivery): string =>
  JSON.stringify({
    dispatch: dispatchFields(delivery.dispatch),
    mcp: { url: delivery.mcp.url, token: delivery.mcp.token, expiresAt: delivery.mcp.expiresAt },
    attempt: delivery.attempt
  })
