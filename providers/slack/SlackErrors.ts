/**
 * Slack's Web API failures and their mapping to the kernel's `ToolError` reasons.
 *
 * Slack answers most failures with HTTP 200 and `{ ok: false, error: "<code>" }` (plus `needed`
 * and `provided` for `missing_scope`, and `response_metadata.messages` for argument problems);
 * rate limits come as HTTP 429 with `Retry-After` (seconds), sometimes as `error: "ratelimited"`.
 * The code decides the reason; the message names the method and says what to do next, because
 * an agent reads it. Codes not listed fall back on their shape (`invalid_*` is the caller's
 * input) and otherwise on `VendorError`.
 */
import { Option } from "effect"
import { ToolError } from "../../kernel/domain/Errors.ts"

/** When Slack sends no Retry-After, a minute covers its per-minute tiers. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60

export interface SlackFailure {
  readonly method: string
  readonly status: number
  /** Slack's error code; none when the answer had no JSON body. */
  readonly code: Option.Option<string>
  readonly needed?: string | null | undefined
  readonly provided?: string | null | undefined
  readonly messages?: ReadonlyArray<string> | null | undefined
  readonly retryAfter: Option.Option<string>
}

type Kind = "auth" | "forbidden" | "notFound" | "input" | "rateLimited" | "server"

const hints: ReadonlyMap<string, readonly [Kind, string]> = new Map<string, readonly [Kind, string]>([
  ["not_authed", ["auth", "no token was sent"]],
  ["invalid_auth", ["auth", "the bot token is not valid; the installation may need to be reconnected"]],
  ["token_revoked", ["auth", "the bot token was revoked; reinstall the Slack app"]],
  ["token_expired", ["auth", "the bot token expired"]],
  ["account_inactive", ["auth", "the bot's account was deactivated; reinstall the Slack app"]],
  ["missing_scope", ["forbidden", "the Slack app was not granted the scope this needs; add it to the app and reinstall"]],
  ["not_allowed_token_type", ["forbidden", "this method does not accept a bot token"]],
  ["no_permission", ["forbidden", "the bot is not allowed to do this"]],
  ["access_denied", ["forbidden", "Slack denied access"]],
  ["team_access_not_granted", ["forbidden", "the app is not installed in that workspace"]],
  ["ekm_access_denied", ["forbidden", "the workspace's Enterprise Key Management denied access"]],
  ["not_in_channel", ["forbidden", "the bot is not a member of this channel; invite it (/invite @bot) or use another channel"]],
  ["is_archived", ["forbidden", "the channel is archived"]],
  ["channel_is_archived", ["forbidden", "the channel is archived"]],
  ["restricted_action", ["forbidden", "a workspace preference prevents the bot from posting here"]],
  ["restricted_action_read_only_channel", ["forbidden", "the channel is read-only"]],
  ["restricted_action_thread_only_channel", ["forbidden", "the channel only allows replies in threads"]],
  ["restricted_action_non_threadable_channel", ["forbidden", "the channel does not allow threads"]],
  ["cant_update_message", ["forbidden", "the bot can only edit its own messages"]],
  ["edit_window_closed", ["forbidden", "the message can no longer be edited"]],
  ["channel_not_found", ["notFound", "no such channel, or the bot cannot see it (use a channel id such as C0123ABCD)"]],
  ["thread_not_found", ["notFound", "no such thread (threadTs must be the ts of the thread's first message)"]],
  ["message_not_found", ["notFound", "no message with that ts in that channel"]],
  ["user_not_found", ["notFound", "no such user (use a user id such as U0123ABCD)"]],
  ["users_not_found", ["notFound", "no such user"]],
  ["file_not_found", ["notFound", "no such file, or its upload did not finish"]],
  ["bot_not_found", ["notFound", "no such bot"]],
  ["no_text", ["input", "give text or blocks"]],
  ["msg_too_long", ["input", "the message text is too long (Slack's limit is 40,000 characters)"]],
  ["invalid_blocks", ["input", "the blocks are not valid Block Kit"]],
  ["invalid_blocks_format", ["input", "blocks must be an array of Block Kit blocks"]],
  ["too_many_attachments", ["input", "too many attachments"]],
  ["invalid_name", ["input", "not a known emoji name (give it without colons, such as thumbsup)"]],
  ["too_many_reactions", ["input", "the message already has too many reactions"]],
  ["invalid_cursor", ["input", "the cursor is not valid; start again without one"]],
  ["invalid_arguments", ["input", "the arguments are not valid"]],
  ["invalid_arg_name", ["input", "an argument name is not valid"]],
  ["ratelimited", ["rateLimited", "Slack's rate limit for this method was reached"]],
  ["rate_limited", ["rateLimited", "Slack's rate limit for this method was reached"]],
  ["internal_error", ["server", "Slack had an internal error; try again later"]],
  ["fatal_error", ["server", "Slack failed; try again later"]],
  ["service_unavailable", ["server", "Slack is unavailable; try again later"]],
  ["request_timeout", ["server", "Slack timed out; try again later"]]
])

const kindOf = (failure: SlackFailure): Kind => {
  if (failure.status === 429) return "rateLimited"
  return Option.match(failure.code, {
    onNone: () => (failure.status === 401 ? "auth" : failure.status === 403 ? "forbidden" : failure.status >= 500 ? "server" : "input"),
    onSome: (code) => hints.get(code)?.[0] ?? (code.startsWith("invalid_") ? "input" : "server")
  })
}

/** Retry-After is whole seconds for Slack; anything unreadable means the default wait. */
export const retryAfterSeconds = (value: Option.Option<string>): number =>
  Option.match(Option.map(value, (text) => Number(text.trim())), {
    onNone: () => DEFAULT_RETRY_AFTER_SECONDS,
    onSome: (seconds) => (Number.isFinite(seconds) && seconds >= 0 ? Math.max(1, Math.ceil(seconds)) : DEFAULT_RETRY_AFTER_SECONDS)
  })

const describe = (failure: SlackFailure): string => {
  const code = Option.getOrElse(failure.code, () => `HTTP ${failure.status}`)
  const hint = Option.flatMap(failure.code, (known) => Option.fromNullishOr(hints.get(known)?.[1]))
  const scopes = failure.needed ? ` (needs ${failure.needed}; granted: ${failure.provided ?? "none"})` : ""
  const details = (failure.messages ?? []).length > 0 ? ` [${(failure.messages ?? []).join("; ")}]` : ""
  return `Slack ${failure.method} failed: ${code}${Option.match(hint, { onNone: () => "", onSome: (text) => ` — ${text}` })}${scopes}${details}`
}

const reasons: Record<Kind, ToolError["reason"]> = {
  auth: "Unauthorized",
  forbidden: "Forbidden",
  notFound: "NotFound",
  input: "InvalidInput",
  rateLimited: "RateLimited",
  server: "VendorError"
}

export const toToolError = (failure: SlackFailure): ToolError => {
  const kind = kindOf(failure)
  const message = describe(failure)
  if (kind === "rateLimited") {
    const wait = retryAfterSeconds(failure.retryAfter)
    return new ToolError({ reason: "RateLimited", message: `${message}; retry in ${wait}s`, retryAfterSeconds: wait })
  }
  return new ToolError({ reason: reasons[kind], message })
}
