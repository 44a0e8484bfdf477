/**
 * Input fields the Slack tools share, named and checked the same way everywhere (an agent learns
 * `channel` and `threadTs` once). Each carries a description: it ends up in the tool's JSON
 * Schema, which is all the agent sees. Ids are Slack's ids, as the dispatch context gives them.
 */
import { Schema } from "effect"

export const Channel = Schema.String.check(Schema.isPattern(/^[A-Z][A-Z0-9]{2,30}$/u)).annotate({
  description: "A conversation id: C… (public channel), G… (private), D… (direct message), as in the dispatch context"
})

export const Ts = Schema.String.check(Schema.isPattern(/^\d{1,12}\.\d{1,8}$/u)).annotate({
  description: "A message timestamp id, such as 1712345678.123456"
})

export const ThreadTs = Ts.annotate({ description: "The thread's ts: the ts of its first message (threadTs in the dispatch context)" })

export const UserId = Schema.String.check(Schema.isPattern(/^[UW][A-Z0-9]{2,30}$/u)).annotate({
  description: "A user id, such as U0123ABCD"
})

/** Slack's limit for `text` is 40,000 characters; it truncates past 4,000 for display. */
export const Text = Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(40_000)).annotate({
  description: "Message text in Slack mrkdwn (*bold*, _italic_, `code`, <https://url|label>, <@U123> mentions)"
})

/** Slack allows at most 50 blocks per message; each is validated by Slack itself. */
export const Blocks = Schema.Array(Schema.Record(Schema.String, Schema.Json)).check(
  Schema.isMinLength(1),
  Schema.isMaxLength(50)
).annotate({
  description: "Block Kit blocks (at most 50), such as [{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*Hi*\"}}]; " +
    "give text too, as the notification fallback"
})

export const EmojiName = Schema.String.check(Schema.isPattern(/^:?[a-z0-9_+'-]{1,100}:?$/u)).annotate({
  description: "The emoji's name, with or without colons, such as thumbsup or :eyes:"
})

export const Limit = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 200 })).annotate({
  description: "How many to return, 1 to 200 (default 50)"
})

export const Cursor = Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(500)).annotate({
  description: "nextCursor from the previous page"
})

export const DEFAULT_LIMIT = 50

/** The text and blocks a message tool sends: at least one of them. */
export const Content = {
  text: Schema.optionalKey(Text),
  blocks: Schema.optionalKey(Blocks)
}
