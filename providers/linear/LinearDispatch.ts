/**
 * Maps a decoded Linear event to a dispatch decision for one publication: which session it
 * starts, continues or stops, with which prompt, or why it is ignored. Pure, so a stored event
 * decides the same way after a restart or a replay.
 *
 * Agent sessions: `LinearSessionDispatch.ts`. Assignments and mentions through data-change
 * webhooks: `LinearClassicDispatch.ts`. Triggers, the team filter and session keys, shared by
 * both: `LinearRouting.ts`.
 */
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Publication } from "../../kernel/domain/Publication.ts"
import type { DispatchDecision } from "../../kernel/provider/Webhook.ts"
import { ignore } from "../../kernel/provider/Webhook.ts"
import { decideComment, decideIssue } from "./LinearClassicDispatch.ts"
import type { LinearEvent } from "./LinearEvents.ts"
import { decideSession } from "./LinearSessionDispatch.ts"

export { TEAM_FILTER, TRIGGER_FILTER } from "./LinearRouting.ts"

export const decide = (event: LinearEvent, installation: Installation, publication: Publication): DispatchDecision => {
  switch (event._tag) {
    case "SessionCreated":
    case "SessionPrompted":
      return decideSession(event.event, installation, publication)
    case "IssueChanged":
      return decideIssue(event.event, installation, publication)
    case "CommentCreated":
      return decideComment(event.event, installation, publication)
    case "AppRevoked":
      return ignore(`organization ${event.organizationId} revoked the Linear app; the installation is marked revoked`)
    case "Unhandled":
      return ignore(`Linear event "${event.eventType}" is not handled by this provider`)
  }
}
