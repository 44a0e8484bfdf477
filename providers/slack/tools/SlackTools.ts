/**
 * The Slack tools and the publication scopes they sit behind (`publication/SlackScopes.ts`). A
 * tool is one file beside this one exporting `make(client)`; adding one is a new file plus a line
 * in `toolFactories`.
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
import type { Tool } from "../../../kernel/provider/Tool.ts"
import type { SlackClient } from "../SlackClient.ts"
import * as AddReaction from "./AddReaction.ts"
import * as ListChannels from "./ListChannels.ts"
import * as LookupUser from "./LookupUser.ts"
import * as PostMessage from "./PostMessage.ts"
import * as ReadChannelHistory from "./ReadChannelHistory.ts"
import * as ReadThread from "./ReadThread.ts"
import * as RemoveReaction from "./RemoveReaction.ts"
import * as ReplyInThread from "./ReplyInThread.ts"
import * as UpdateMessage from "./UpdateMessage.ts"
import * as UploadFile from "./UploadFile.ts"

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
