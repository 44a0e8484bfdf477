/**
 * The Slack tools and the publication scopes they sit behind. A tool is one file under `tools/`
 * exporting `make(client)`; adding one is a new file plus a line in `toolFactories`.
 *
 * A publication scope is what a workspace owner lets one agent do; each maps to the Slack OAuth
 * scopes the bot token needs for it (all requested by the generated manifest and consent URL).
 * Reading history needs the history scope of the conversation's kind, hence four Slack scopes.
 *
 * | tool | publication scope | Slack bot scopes |
 * |---|---|---|
 * | post_message, reply_in_thread, update_message | messages:write | chat:write |
 * | add_reaction, remove_reaction | reactions:write | reactions:write |
 * | read_thread, read_channel_history | history:read | channels:history, groups:history, im:history, mpim:history |
 * | lookup_user | users:read | users:read |
 * | list_channels | channels:read | channels:read, groups:read, im:read, mpim:read |
 * | upload_file | files:write | files:write |
 */
import type { ScopeDefinition } from "../../kernel/provider/Provider.ts"
import type { Tool } from "../../kernel/provider/Tool.ts"
import type { SlackClient } from "./SlackClient.ts"
import * as AddReaction from "./tools/AddReaction.ts"
import * as ListChannels from "./tools/ListChannels.ts"
import * as LookupUser from "./tools/LookupUser.ts"
import * as PostMessage from "./tools/PostMessage.ts"
import * as ReadChannelHistory from "./tools/ReadChannelHistory.ts"
import * as ReadThread from "./tools/ReadThread.ts"
import * as RemoveReaction from "./tools/RemoveReaction.ts"
import * as ReplyInThread from "./tools/ReplyInThread.ts"
import * as UpdateMessage from "./tools/UpdateMessage.ts"
import * as UploadFile from "./tools/UploadFile.ts"

/** Publication scope → the Slack OAuth (bot token) scopes its tools use. */
export const SLACK_SCOPES: ReadonlyMap<string, ReadonlyArray<string>> = new Map([
  ["messages:write", ["chat:write"]],
  ["reactions:write", ["reactions:write"]],
  ["history:read", ["channels:history", "groups:history", "im:history", "mpim:history"]],
  ["users:read", ["users:read"]],
  ["channels:read", ["channels:read", "groups:read", "im:read", "mpim:read"]],
  ["files:write", ["files:write"]]
])

const described = (name: string, description: string): ScopeDefinition => ({
  name,
  description: `${description} (Slack: ${(SLACK_SCOPES.get(name) ?? []).join(", ")})`
})

export const scopes: ReadonlyArray<ScopeDefinition> = [
  described("messages:write", "Post messages, reply in threads and edit the bot's own messages"),
  described("reactions:write", "Add and remove the bot's emoji reactions"),
  described("history:read", "Read threads and recent channel history where the bot is a member"),
  described("users:read", "Look up people: names, titles, time zones"),
  described("channels:read", "List the conversations the bot is a member of"),
  described("files:write", "Upload snippets and files and share them in conversations")
]

const toolFactories: ReadonlyArray<(client: SlackClient) => Tool> = [
  PostMessage.make,
  ReplyInThread.make,
  UpdateMessage.make,
  AddReaction.make,
  RemoveReaction.make,
  ReadThread.make,
  ReadChannelHistory.make,
  LookupUser.make,
  ListChannels.make,
  UploadFile.make
]

export const make = (client: SlackClient): ReadonlyArray<Tool> => toolFactories.map((factory) => factory(client))
