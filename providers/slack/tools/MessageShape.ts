/**
 * What Slack's message objects look like (as `conversations.replies`, `conversations.history`
 * and `chat.*` return them) and what the tools hand the agent: the text, who wrote it (and
 * whether it was this app's bot), thread facts, reactions and files. Also the argument builder
 * and permalink every message-writing tool shares.
 */
import { Option, Schema } from "effect"
import type { Installation } from "../../../kernel/domain/Installation.ts"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import type { Arguments } from "../SlackClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"

export const SlackMessage = Schema.Struct({
  ts: Schema.String,
  type: nullable(Schema.String),
  subtype: nullable(Schema.String),
  user: nullable(Schema.String),
  bot_id: nullable(Schema.String),
  text: nullable(Schema.String),
  thread_ts: nullable(Schema.String),
  reply_count: nullable(Schema.Number),
  edited: nullable(Schema.Struct({ user: nullable(Schema.String), ts: nullable(Schema.String) })),
  reactions: nullable(Schema.Array(Schema.Struct({ name: Schema.String, count: nullable(Schema.Number) }))),
  files: nullable(Schema.Array(Schema.Struct({ id: Schema.String, name: nullable(Schema.String), title: nullable(Schema.String) })))
})
export type SlackMessage = typeof SlackMessage.Type

export const Page = Schema.Struct({
  messages: Schema.Array(SlackMessage),
  has_more: nullable(Schema.Boolean),
  response_metadata: nullable(Schema.Struct({ next_cursor: nullable(Schema.String) }))
})

export const nextCursorOf = (page: typeof Page.Type): string | null => {
  const cursor = page.response_metadata?.next_cursor
  return cursor === undefined || cursor === null || cursor.length === 0 ? null : cursor
}

const byThisBot = (message: SlackMessage, installation: Installation): boolean =>
  (message.user !== undefined && message.user !== null && message.user === installation.metadata["botUserId"]) ||
  (message.bot_id !== undefined && message.bot_id !== null && message.bot_id === installation.metadata["botId"])

export const toView = (message: SlackMessage, installation: Installation) => ({
  ts: message.ts,
  threadTs: message.thread_ts ?? null,
  user: message.user ?? null,
  botId: message.bot_id ?? null,
  byThisBot: byThisBot(message, installation),
  subtype: message.subtype ?? null,
  text: message.text ?? "",
  replyCount: message.reply_count ?? 0,
  edited: message.edited !== undefined && message.edited !== null,
  reactions: (message.reactions ?? []).map((reaction) => ({ name: reaction.name, count: reaction.count ?? 1 })),
  files: (message.files ?? []).map((file) => ({ id: file.id, name: file.name ?? file.title ?? null }))
})

/** Slack's permalink form, from the workspace URL `auth.test` gave at install; none without it. */
export const permalinkOf = (installation: Installation, channel: string, ts: string, threadTs?: string): string | null => {
  const base = Option.fromNullishOr(installation.metadata["workspaceUrl"]).pipe(Option.filter((url) => url.length > 0))
  return Option.match(base, {
    onNone: () => null,
    onSome: (url) => {
      const link = `${url.replace(/\/?$/, "/")}archives/${channel}/p${ts.replace(".", "")}`
      return threadTs === undefined || threadTs === ts ? link : `${link}?thread_ts=${threadTs}&cid=${channel}`
    }
  })
}

/** `text` and `blocks` as chat methods take them; Slack needs one of the two. */
export const contentArguments = (
  input: { readonly text?: string | undefined; readonly blocks?: ReadonlyArray<Readonly<Record<string, Schema.Json>>> | undefined }
): Option.Option<Arguments> =>
  input.text === undefined && input.blocks === undefined
    ? Option.none()
    : Option.some({ text: input.text, blocks: input.blocks === undefined ? undefined : [...input.blocks] })

export const noContent = new ToolError({ reason: "InvalidInput", message: "Give text (mrkdwn), blocks, or both" })
