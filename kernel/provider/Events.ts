/**
 * A provider's events, declared as a table from event name to a Schema and a decide function.
 *
 * The kernel stores and acknowledges a delivery after reading only its envelope; the event's own
 * Schema runs later, when the event is decided (in the background, after a restart, or on a
 * replay), once per event however many publications it is decided for. An event whose name is not
 * in the table, or whose body does not match its Schema, is stored and recorded as ignored with
 * the reason: a correctly signed delivery is never refused for its content.
 *
 * `on` erases the event's type behind `prepare`, so one table can hold events of any type while
 * each `decide` is checked against its own Schema.
 */
import { Effect, Option, type Redacted, Result, Schema } from "effect"
import type { HttpClient } from "effect/http"
import type { ToolError } from "../domain/Errors.ts"
import type { Installation } from "../domain/Installation.ts"
import type { Publication } from "../domain/Publication.ts"
import type { DispatchDecision } from "./Webhook.ts"

/** What the kernel read before the acknowledgement. */
export interface EnvelopeInfo {
  readonly deliveryId: string
  readonly eventType: string
  readonly account: Option.Option<string>
}

export interface DecideContext extends EnvelopeInfo {
  readonly installation: Installation
  readonly publication: Publication
}

export interface AcknowledgeContext extends EnvelopeInfo {
  readonly installation: Installation
  readonly accessToken: Redacted.Redacted<string>
}

/** An event decoded and ready to be decided for each publication. */
export interface PreparedEvent {
  readonly decide: (installation: Installation, publication: Publication) => DispatchDecision
  readonly acknowledge?:
    | ((installation: Installation, accessToken: Redacted.Redacted<string>) => Effect.Effect<void, ToolError, HttpClient.HttpClient>)
    | undefined
}

export interface EventHandler {
  /** Decodes the body with the event's Schema; fails with a readable reason. */
  readonly prepare: (body: unknown, envelope: EnvelopeInfo) => Result.Result<PreparedEvent, string>
  /** Whether some of these events need work soon after receipt (see `on`'s `acknowledge`). */
  readonly acknowledges: boolean
}

/** Event name → handler. Looked up by the full event type (`issue_comment.created`), then by the part before its first dot. */
export type EventTable = Readonly<Record<string, EventHandler>>

export interface EventOptions<A> {
  /**
   * Work the vendor expects soon after receipt, whatever the dispatch costs (Linear wants a first
   * agent activity within 10 s of an agent session's creation). Return none when this event needs
   * none. The kernel runs it in the background right after the event is stored, for an installation
   * with at least one publication the event dispatches to; never on replays.
   */
  readonly acknowledge?: (
    event: A,
    context: AcknowledgeContext
  ) => Option.Option<Effect.Effect<void, ToolError, HttpClient.HttpClient>>
}

/** One entry of an event table: the event's Schema and how it maps to a dispatch decision. */
export const on = <A>(
  schema: Schema.Codec<A, unknown>,
  decide: (event: A, context: DecideContext) => DispatchDecision,
  options: EventOptions<A> = {}
): EventHandler => {
  const decode = Schema.decodeUnknownResult(schema)
  const acknowledgeWith = options.acknowledge
  return {
    acknowledges: acknowledgeWith !== undefined,
    prepare: (body, envelope) =>
      Result.match(decode(body), {
        onFailure: (error) => Result.fail(error.message),
        onSuccess: (event) =>
          Result.succeed<PreparedEvent>({
            decide: (installation, publication) => decide(event, { ...envelope, installation, publication }),
            acknowledge: acknowledgeWith === undefined ? undefined : (installation, accessToken) => {
              const work = acknowledgeWith(event, { ...envelope, installation, accessToken })
              return Option.getOrElse(work, () => Effect.void)
            }
          })
      })
  }
}
