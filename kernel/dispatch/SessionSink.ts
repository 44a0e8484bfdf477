/**
 * The port through which dispatches leave Switchboard for the agent platform. Implementations
 * live in `adapters/sink` (signed HTTP, Workers service binding, log). Delivery is at least
 * once; receivers dedupe on `dispatch.id`.
 */
import { Context, type Effect } from "effect"
import type { SinkError } from "../domain/Errors.ts"
import type { SessionDelivery } from "../domain/SessionDispatch.ts"

export class SessionSink extends Context.Service<SessionSink, {
  readonly deliver: (delivery: SessionDelivery) => Effect.Effect<void, SinkError>
}>()("switchboard/dispatch/SessionSink") {}
