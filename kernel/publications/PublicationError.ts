/**
 * Why a publication change was refused. It lives beside the Publications service, not in
 * `domain/Errors.ts`, because only that service raises it; `http/Respond.ts` gives each reason
 * its status (NotFound 404, Invalid 400, Conflict 409).
 */
import { Schema } from "effect"

export const PublicationErrorReason = Schema.Literals(["NotFound", "Invalid", "Conflict"])
export type PublicationErrorReason = typeof PublicationErrorReason.Type

export class PublicationError extends Schema.TaggedError<PublicationError>()("PublicationError", {
  reason: PublicationErrorReason,
  message: Schema.String
}) {}
