/** What a tool executor receives: the decrypted token and who is acting, never more. */
import type { Effect, Option, Redacted } from "effect"
import type { TokenSet } from "../domain/Credentials.ts"
import type { Installation } from "../domain/Installation.ts"
import type { Publication } from "../domain/Publication.ts"

export interface PublicationContext {
  readonly installation: Installation
  readonly publication: Publication
  /** The session the call originates from (from the MCP bearer token). */
  readonly sessionKey: string
  readonly accessToken: Redacted.Redacted<string>
  readonly tokens: TokenSet
  /**
   * The provider's rate-limit gates as every instance sharing the database sees them (absent
   * outside the kernel, e.g. in a provider's own tests). Never fails: a store hiccup reads open.
   */
  readonly sharedGate?: SharedGate | undefined
}

/** Until when a vendor asked a key (an installation's budget, say) to wait, shared across instances. */
export interface SharedGate {
  /** When the gate of `key` opens again (epoch ms), if that is after `now`. */
  readonly blockedUntil: (key: string, now: number) => Effect.Effect<Option.Option<number>>
  /** Closes the gate of `key` until `until`, unless it is closed until later already. */
  readonly block: (key: string, until: number) => Effect.Effect<void>
}
