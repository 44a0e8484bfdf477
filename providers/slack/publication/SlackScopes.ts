/**
 * The publication scopes a workspace owner grants one agent, each mapped to the Slack OAuth
 * scopes its tools need on the bot token (all requested by the generated manifest and the
 * consent URL). Reading history needs the history scope of the conversation's kind, hence four
 * Slack scopes. Which tool sits behind which scope is in `tools/SlackTools.ts`.
 */
import type { ScopeDefinition } from "../../../kernel/provider/Provider.ts"

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
