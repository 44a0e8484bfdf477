/**
 * Every error a caller can cause, mapped to a status code in one place, as JSON
 * `{ error: { reason, message } }`. A tenant past its limit gets 429 with `Retry-After`. Storage
 * trouble (a locked or unavailable database, past the request's bounded wait) is a 503 with
 * `Retry-After`, so vendors retry the delivery, never a stack trace; an unexpected defect is
 * logged and answered with a bare 500 that reveals nothing.
 */
import { Cause, Effect } from "effect"
import { HttpServerResponse } from "effect/http"
import type { ApiError, InstallError, StoreError, VaultError, WebhookRejected } from "../domain/Errors.ts"
import type { LimitExceeded } from "../limits/LimitExceeded.ts"
import type { PublicationError } from "../publications/PublicationError.ts"
import { noteAccess } from "./AccessLog.ts"

export type KnownError = ApiError | InstallError | LimitExceeded | PublicationError | StoreError | VaultError | WebhookRejected

export const json = (status: number, body: unknown, headers?: Record<string, string>) =>
  HttpServerResponse.jsonUnsafe(body, { status, ...(headers === undefined ? {} : { headers }) })

export const errorJson = (status: number, reason: string, message: string, headers?: Record<string, string>) =>
  json(status, { error: { reason, message } }, headers)

/** Seconds a client is asked to wait before retrying after a 503 for storage. */
export const STORAGE_RETRY_AFTER_SECONDS = 1

const installStatus: Record<InstallError["reason"], number> = {
  UnknownProvider: 404,
  NotSupported: 400,
  InvalidState: 400,
  ExpiredState: 400,
  BrowserMismatch: 403,
  ReturnUrlNotAllowed: 400,
  VendorRejected: 502,
  VendorUnavailable: 502,
  InvalidCredentials: 400,
  GrantRevoked: 409,
  PendingApproval: 202,
  NotConfigured: 503
}

const webhookStatus: Record<WebhookRejected["reason"], number> = {
  UnknownProvider: 404,
  TooLarge: 413,
  BadSignature: 401,
  StaleTimestamp: 401,
  Malformed: 400,
  NotConfigured: 503
}

const apiStatus: Record<ApiError["reason"], number> = { Unauthorized: 401, NotFound: 404, BadRequest: 400, Conflict: 409 }

/** Publication refusals keep the management API's reasons (`BadRequest` for an invalid value). */
const publicationAnswer: Record<PublicationError["reason"], readonly [number, ApiError["reason"]]> = {
  NotFound: [404, "NotFound"],
  Invalid: [400, "BadRequest"],
  Conflict: [409, "Conflict"]
}

export const errorResponse = (error: KnownError): HttpServerResponse.HttpServerResponse => {
  switch (error._tag) {
    case "ApiError":
      return errorJson(apiStatus[error.reason], error.reason, error.message)
    case "PublicationError": {
      const [status, reason] = publicationAnswer[error.reason]
      return errorJson(status, reason, error.message)
    }
    case "InstallError":
      return errorJson(installStatus[error.reason], error.reason, error.message)
    case "WebhookRejected":
      return errorJson(webhookStatus[error.reason], error.reason, error.message)
    case "StoreError":
      return errorJson(503, "StorageUnavailable", "Storage is busy or unavailable; retry shortly", {
        "retry-after": String(STORAGE_RETRY_AFTER_SECONDS)
      })
    case "VaultError":
      return errorJson(503, "VaultUnavailable", "Stored credentials could not be opened")
    case "LimitExceeded":
      return json(
        429,
        { error: { reason: "RateLimited", message: error.message, retryAfterSeconds: error.retryAfterSeconds } },
        { "retry-after": String(error.retryAfterSeconds) }
      )
  }
}

/** The `reason` an error's answer names (and its access-log line). */
export const reasonOf = (error: KnownError): string =>
  error._tag === "StoreError"
    ? "StorageUnavailable"
    : error._tag === "VaultError"
    ? "VaultUnavailable"
    : error._tag === "LimitExceeded"
    ? "RateLimited"
    : error._tag === "PublicationError"
    ? publicationAnswer[error.reason][1]
    : error.reason

/** Wraps a handler so nothing but a deliberate response leaves it; a refusal's reason goes to the access log. */
export const guard = <R>(
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, KnownError, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R> =>
  handler.pipe(
    Effect.catch((error) => {
      const response = errorResponse(error)
      const noted = noteAccess({ reason: reasonOf(error) })
      return response.status >= 500
        ? Effect.as(Effect.andThen(noted, Effect.logWarning("request failed", error._tag, error.message)), response)
        : Effect.as(noted, response)
    }),
    Effect.catchCause((cause) =>
      Cause.hasInterruptsOnly(cause)
        ? Effect.succeed(errorJson(503, "Interrupted", "The request was interrupted"))
        : Effect.as(Effect.logError("unexpected failure", cause), errorJson(500, "Internal", "Internal error"))
    )
  )
