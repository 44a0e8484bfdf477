/**
 * Reading back what the kernel recorded for a webhook delivery, through the management API
 * (`GET /v1/deliveries`), decoded rather than cast: the stored events of a delivery id (one per
 * tenant that installed the account) and the decided one.
 */
import { Schema } from "effect"
import type { TestKernel } from "./kernel.ts"

const EventRow = Schema.Struct({
  event: Schema.Struct({
    id: Schema.String,
    deliveryId: Schema.String,
    eventType: Schema.String,
    status: Schema.String,
    reason: Schema.NullOr(Schema.String)
  }),
  dispatches: Schema.Array(Schema.Struct({ mode: Schema.String, sessionKey: Schema.String, status: Schema.String }))
})
const Deliveries = Schema.Struct({ deliveries: Schema.Array(EventRow) })
export type EventRow = typeof EventRow.Type

/** The tenant's stored events for a delivery id. */
export const storedEvents = async (kernel: TestKernel, apiKey: string, deliveryId: string): Promise<ReadonlyArray<EventRow>> => {
  const response = await kernel.request("/v1/deliveries?limit=200", { apiKey })
  return Schema.decodeUnknownSync(Deliveries)(await response.json()).deliveries.filter((row) => row.event.deliveryId === deliveryId)
}

/** The stored event of a delivery, once the kernel has decided it. */
export const decidedEvent = (kernel: TestKernel, apiKey: string, deliveryId: string): Promise<EventRow> =>
  kernel.eventually(async () => (await storedEvents(kernel, apiKey, deliveryId)).find((row) => row.event.status !== "received"))
