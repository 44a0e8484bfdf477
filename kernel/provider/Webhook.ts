/**
 * The webhook half of the provider contract. The kernel owns the pipeline (size limit, dedupe,
 * persistence, acknowledgement); a provider only verifies and decodes.
 *
 * `verify` runs on the raw bytes before anything parses them, at receipt only (so a replay
 * window belongs in `verify`). `decode` runs only after `verify` passed, and again, without
 * `verify`, when a stored event is decided after a restart or replayed.
 */
import type { Effect, Option, Redacted } from "effect"
import type { HttpClient } from "effect/http"
import type { ToolError, WebhookRejected } from "../domain/Errors.ts"
import type { Installation } from "../domain/Installation.ts"
import type { Publication } from "../domain/Publication.ts"
import type { AppContext } from "./Registration.ts"
import type { DispatchIntent } from "../domain/SessionDispatch.ts"

export interface RawWebhook {
  readonly headers: Headers
  readonly body: Uint8Array
  /** Epoch ms when the request arrived (from Effect's Clock, so tests can move it). */
  readonly receivedAt: number
}

/** A reply the vendor expects instead of a plain acknowledgement (Slack's url_verification). */
export interface WebhookHandshake {
  readonly status: number
  readonly contentType: string
  readonly body: string
}

export type DispatchDecision =
  | { readonly _tag: "Dispatch"; readonly intent: DispatchIntent }
  | { readonly _tag: "Ignore"; readonly reason: string }

export const dispatchTo = (intent: DispatchIntent): DispatchDecision => ({ _tag: "Dispatch", intent })
export const ignore = (reason: string): DispatchDecision => ({ _tag: "Ignore", reason })

/**
 * What the installation's lifecycle should become because of this event. `installed` announces
 * a new installation of a tenant's own app (a GitHub org owner approving a requested install):
 * the kernel then asks the provider's `OAuthInstall.adopt` for its grant.
 */
export type InstallationLifecycle = "installed" | "revoked" | "suspended" | "unsuspended"

export interface DecodedWebhook {
  readonly deliveryId: string
  readonly eventType: string
  /** The vendor workspace the event belongs to; none for events that carry no account. */
  readonly externalAccountId: Option.Option<string>
  readonly handshake: Option.Option<WebhookHandshake>
  readonly lifecycle: Option.Option<InstallationLifecycle>
  /** Maps the event to a dispatch for one publication of one installation, or to an ignore. */
  readonly decide: (installation: Installation, publication: Publication) => DispatchDecision
  /**
   * Work the vendor expects soon after receipt, whatever the dispatch costs (Linear wants a
   * first agent activity within 10 s of an agent session's creation). The kernel runs it in the
   * background right after the event is stored, apart from the dispatch, for each installation
   * with at least one publication that `decide` dispatches to. Never runs on replays.
   */
  readonly acknowledge?: ((
    installation: Installation,
    accessToken: Redacted.Redacted<string>
  ) => Effect.Effect<void, ToolError, HttpClient.HttpClient>) | undefined
}

export interface WebhookHandler {
  /** Bytes accepted before the kernel answers 413 (default 1 MiB). */
  readonly maxBodyBytes?: number | undefined
  /** `app` is the tenant's own app when the webhook came to `/webhook/<provider>/<registration>`. */
  readonly verify: (raw: RawWebhook, app?: Option.Option<AppContext>) => Effect.Effect<void, WebhookRejected>
  readonly decode: (raw: RawWebhook) => Effect.Effect<DecodedWebhook, WebhookRejected>
}
