/**
 * `upload_file`: uploads a text snippet or a small file and, given a channel, shares it there
 * (in a thread with `threadTs`), the way Slack documents uploads now that `files.upload` is
 * retired: `files.getUploadURLExternal` for a URL and file id, the bytes to that URL, then
 * `files.completeUploadExternal` to finish and share.
 */
import { Effect, Option, Schema } from "effect"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import { base64Decode, utf8Encode } from "../../../kernel/encoding/Encoding.ts"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import * as SlackClient from "../SlackClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { Channel, ThreadTs } from "./Inputs.ts"

/** What an agent should push through an MCP call; bigger files belong elsewhere. */
const MAX_CHARACTERS = 1_000_000

export const Input = Schema.Struct({
  filename: Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(255)).annotate({
    description: "The file's name, such as report.md or trace.txt"
  }),
  content: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(MAX_CHARACTERS)).annotate({
    description: "The file's text (UTF-8)"
  })),
  contentBase64: Schema.optionalKey(
    Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(MAX_CHARACTERS), Schema.isPattern(/^[A-Za-z0-9+/]+={0,2}$/u)).annotate({
      description: "The file's bytes, base64-encoded, for files that are not text"
    })
  ),
  channel: Schema.optionalKey(Channel.annotate({ description: "Share it in this conversation (else it stays private to the bot)" })),
  threadTs: Schema.optionalKey(ThreadTs.annotate({ description: "Share it in this thread of the channel" })),
  title: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(255))),
  initialComment: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(4_000)).annotate({
    description: "A message posted with the file, in mrkdwn"
  })),
  snippetType: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^[a-z0-9_+-]{1,40}$/u)).annotate({
    description: "Syntax highlighting for a text snippet, such as python, javascript, markdown"
  }))
})

export const GetUploadUrl = SlackClient.method(
  "files.getUploadURLExternal",
  "form",
  Schema.Struct({ upload_url: Schema.String, file_id: Schema.String })
)

export const CompleteUpload = SlackClient.method(
  "files.completeUploadExternal",
  "form",
  Schema.Struct({
    files: Schema.Array(Schema.Struct({
      id: Schema.String,
      title: nullable(Schema.String),
      name: nullable(Schema.String),
      permalink: nullable(Schema.String)
    }))
  })
)

const invalid = (message: string) => new ToolError({ reason: "InvalidInput", message })

const bytesOf = (input: typeof Input.Type): Effect.Effect<Uint8Array, ToolError> => {
  if (input.content !== undefined && input.contentBase64 === undefined) return Effect.succeed(utf8Encode(input.content))
  if (input.contentBase64 !== undefined && input.content === undefined) {
    const bytes = base64Decode(input.contentBase64)
    return bytes === undefined ? Effect.fail(invalid("contentBase64 is not valid base64")) : Effect.succeed(bytes)
  }
  return Effect.fail(invalid("Give exactly one of content (text) or contentBase64"))
}

export const make = (client: SlackClient.SlackClient): Tool =>
  defineTool({
    name: "upload_file",
    title: "Upload a file or snippet to Slack",
    description: "Uploads a text snippet (content) or a small file (contentBase64) as the bot and shares it in a channel " +
      "or thread when given one.",
    input: Input,
    scope: "files:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("SlackTools.uploadFile")(function*(input, context) {
      if (input.threadTs !== undefined && input.channel === undefined) return yield* invalid("threadTs needs a channel")
      const bytes = yield* bytesOf(input)
      if (bytes.length === 0) return yield* invalid("The file is empty")
      const target = yield* client.call(
        GetUploadUrl,
        { filename: input.filename, length: bytes.length, snippet_type: input.snippetType },
        context.accessToken
      )
      yield* client.upload(target.upload_url, input.filename, bytes)
      const completed = yield* client.call(
        CompleteUpload,
        {
          files: [{ id: target.file_id, title: input.title ?? input.filename }],
          channel_id: input.channel,
          thread_ts: input.threadTs,
          initial_comment: input.initialComment
        },
        context.accessToken
      )
      const file = Option.fromNullishOr(completed.files.find((entry) => entry.id === target.file_id) ?? completed.files[0])
      return {
        fileId: target.file_id,
        title: Option.match(file, { onNone: () => input.title ?? input.filename, onSome: (found) => found.title ?? input.filename }),
        bytes: bytes.length,
        sharedIn: input.channel ?? null,
        threadTs: input.threadTs ?? null,
        permalink: Option.match(file, { onNone: () => null, onSome: (found) => found.permalink ?? null })
      }
    })
  })
