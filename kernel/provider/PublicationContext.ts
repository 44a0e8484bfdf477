/** What a tool executor receives: the decrypted token and who is acting, never more. */
import type { Redacted } from "effect"
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
}
