/**
 * The fake's file uploads, in Slack's three steps: `files.getUploadURLExternal` (a file id and
 * a pre-signed upload URL on this fake, for a declared `length`), the bytes posted to that URL
 * (raw or as a multipart `file` field; the length must match), and
 * `files.completeUploadExternal`, which finishes the files and shares them in a channel or
 * thread, posting the bot's message that carries them.
 */
import { conversationFor, isConversation } from "./FakeSlackConversations.ts"
import { type Answer, type Arguments, fail, ok, requireScope } from "./FakeSlackWeb.ts"
import { appOf, type FakeAccessToken, type FakeSlackState, findMessage, nextTs, slackId } from "./FakeSlackState.ts"

export const UPLOAD_PATH = "/upload/v1/"

export const getUploadUrl = (state: FakeSlackState, token: FakeAccessToken, args: Arguments, origin: string): Answer => {
  const missing = requireScope(token, "files:write")
  if (missing !== null) return missing
  const filename = args.string("filename")
  const length = args.number("length")
  if (filename === undefined || length === undefined || !Number.isInteger(length) || length <= 0) return fail("invalid_arguments")
  const id = slackId("F")
  state.files.set(id, {
    id,
    appId: token.appId,
    filename,
    title: filename,
    length,
    snippetType: args.string("snippet_type") ?? null,
    bytes: null,
    completed: false,
    shares: [],
    initialComment: null
  })
  return ok({ upload_url: `${origin}${UPLOAD_PATH}${id}`, file_id: id })
}

export const receiveBytes = async (state: FakeSlackState, request: Request, fileId: string): Promise<Response> => {
  const file = state.files.get(fileId)
  if (file === undefined || file.completed) return new Response("file not found", { status: 404 })
  const contentType = request.headers.get("content-type") ?? ""
  let bytes: Uint8Array
  if (contentType.startsWith("multipart/form-data")) {
    const part = (await request.formData()).get("file")
    if (part === null || typeof part === "string") return new Response("missing file field", { status: 400 })
    bytes = new Uint8Array(await part.arrayBuffer())
  } else {
    bytes = new Uint8Array(await request.arrayBuffer())
  }
  if (bytes.length !== file.length) return new Response(`length mismatch: declared ${file.length}, got ${bytes.length}`, { status: 400 })
  file.bytes = bytes
  return new Response(`OK - ${bytes.length}`, { status: 200, headers: { "content-type": "text/plain" } })
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value)

export const completeUpload = (state: FakeSlackState, token: FakeAccessToken, args: Arguments): Answer => {
  const missing = requireScope(token, "files:write")
  if (missing !== null) return missing
  const entries = args.structured("files")
  if (!Array.isArray(entries) || entries.length === 0) return fail("invalid_arguments")
  const files = []
  for (const entry of entries) {
    const id = isRecord(entry) && typeof entry["id"] === "string" ? entry["id"] : ""
    const file = state.files.get(id)
    if (file === undefined || file.appId !== token.appId || file.bytes === null) return fail("file_not_found")
    if (isRecord(entry) && typeof entry["title"] === "string") file.title = entry["title"]
    files.push(file)
  }
  const channelId = args.string("channel_id")
  const threadTs = args.string("thread_ts") ?? null
  if (channelId !== undefined) {
    const conversation = conversationFor(state, token, channelId)
    if (!isConversation(conversation)) return conversation
    if (threadTs !== null && findMessage(state, conversation.id, threadTs) === undefined) return fail("thread_not_found")
    const app = appOf(state, token.appId)
    state.messages.push({
      channel: conversation.id,
      ts: nextTs(state),
      threadTs,
      user: app.botUserId,
      botId: app.botId,
      appId: app.id,
      text: args.string("initial_comment") ?? "",
      blocks: null,
      subtype: "file_share",
      replyBroadcast: false,
      reactions: new Map(),
      files: files.map((file) => file.id),
      edited: null
    })
  }
  for (const file of files) {
    file.completed = true
    file.initialComment = args.string("initial_comment") ?? null
    if (channelId !== undefined) file.shares.push({ channel: channelId, threadTs })
  }
  return ok({
    files: files.map((file) => ({
      id: file.id,
      title: file.title,
      name: file.filename,
      size: file.length,
      permalink: `https://${state.team.domain}.slack.com/files/${appOf(state, file.appId).botUserId}/${file.id}/${file.filename}`
    }))
  })
}
