/**
 * One tagged error per domain, each with a `reason`. The HTTP gateway maps them to status codes
 * in one place (`kernel/http/ErrorResponse.ts`); nothing else turns errors into responses.
 */
import { Schema } from "effect"

export const WebhookRejectedReason = Schema.Literals([
  "UnknownProvider",
  "TooLarge",
  "BadSignature",
  "StaleTimestamp",
  "Malformed",
  "NotConfigured"
])
export type WebhookRejectedReason = typeof WebhookRejectedReason.Type

export class WebhookRejected extends Schema.TaggedError<WebhookRejected>()("WebhookRejected", {
  reason: WebhookRejectedReason,
  message: Schema.String
}) {}

export const InstallErrorReason = Schema.Literals([
  "UnknownProvider",
  "NotSupported",
  "InvalidState",
  "ExpiredState",
  /** The callback came without the starting browser's install cookie, or with another flow's. */
  "BrowserMismatch",
  "ReturnUrlNotAllowed",
  "VendorRejected",
  "VendorUnavailable",
  "InvalidCredentials",
  /** The vendor says the grant is gone (refresh token revoked or dead): reinstall needed. */
  "GrantRevoked",
  /** The vendor accepted the request but someone else must approve it first (GitHub org owners). */
  "PendingApproval",
  "NotConfigured"
])
export class InstallError extends Schema.TaggedError<InstallError>()("InstallError", {
  reason: InstallErrorReason,
  message: Schema.String
}) {}

export const ToolErrorReason = Schema.Literals([
  "UnknownTool",
  "OutOfScope",
  "InvalidInput",
  "Unauthorized",
  "Forbidden",
  "NotFound",
  "RateLimited",
  "VendorError",
  "InstallationRevoked"
])
export class ToolError extends Schema.TaggedError<ToolError>()("ToolError", {
  reason: ToolErrorReason,
  message: Schema.String,
  /** For `RateLimited`: seconds until a retry may succeed. */
  retryAfterSeconds: Schema.optional(Schema.Number)
}) {}

export const ApiErrorReason = Schema.Literals(["Unauthorized", "NotFound", "BadRequest", "Conflict"])
export class ApiError extends Schema.TaggedError<ApiError>()("ApiError", {
  reason: ApiErrorReason,
  message: Schema.String
}) {}

/** Storage failures are not the caller's fault: they become 503s, never stack traces. */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  operation: Schema.String,
  message: Schema.String
}) {}

export const VaultErrorReason = Schema.Literals(["DecryptFailed", "UnknownKey", "NotConfigured"])
export class VaultError extends Schema.TaggedError<VaultError>()("VaultError", {
  reason: VaultErrorReason,
  message: Schema.String
}) {}

export const SinkErrorReason = Schema.Literals(["Unreachable", "Rejected", "Timeout"])
export class SinkError extends Schema.TaggedError<SinkError>()("SinkError", {
  reason: SinkErrorReason,
  message: Schema.String,
  /** Whether retrying can help (a 4xx other than 408/429 from the receiver cannot). */
  retryable: Schema.Boolean
}) {}

export const SessionTokenErrorReason = Schema.Literals(["Missing", "Invalid", "Expired"])
export class SessionTokenError extends Schema.TaggedError<SessionTokenError>()("SessionTokenError", {
  reason: SessionTokenErrorReason,
  message: Schema.String
}) {}
