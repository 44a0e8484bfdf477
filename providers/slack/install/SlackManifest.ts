/**
 * The Slack app manifest Switchboard generates for an admin to paste into "Create New App → From
 * an app manifest" (or an existing app's "App Manifest" page), and the OAuth scopes and event
 * subscriptions the provider depends on, in one place so the manifest, the consent URL and the
 * tests can never disagree.
 *
 * Field names, limits and scope and event names follow Slack's app manifest reference: the
 * display name at most 35 characters, the description at most 140, the bot user's display name
 * at most 80 characters of `a-z 0-9 - _ .`. The manifest turns on what the triggers need: the
 * Messages tab (direct messages to the bot), the assistant view (assistant threads) and token
 * rotation (expiring tokens, refreshed by the kernel one at a time). Org-wide deployment stays
 * off: an Enterprise Grid admin may turn it on, and events then route by the enterprise id.
 */
import type { Schema } from "effect"
import type { AppUrls } from "../../../kernel/provider/Registration.ts"

/** Bot token scopes, each documented by Slack; what each is for is in `publication/SlackScopes.ts`. */
export const BOT_SCOPES = [
  "app_mentions:read",
  "assistant:write",
  "channels:history",
  "channels:read",
  "chat:write",
  "files:write",
  "groups:history",
  "groups:read",
  "im:history",
  "im:read",
  "mpim:history",
  "mpim:read",
  "reactions:write",
  "users:read"
] as const

/**
 * Bot events: mentions; messages where the bot is (thread replies, direct messages); assistant
 * threads; and the two lifecycle events that end an installation.
 */
export const BOT_EVENTS = [
  "app_mention",
  "message.channels",
  "message.groups",
  "message.im",
  "message.mpim",
  "assistant_thread_started",
  "app_uninstalled",
  "tokens_revoked"
] as const

const NAME_MAX = 35
const DESCRIPTION_MAX = 140
const BOT_NAME_MAX = 80

const DESCRIPTION = "An AI agent served through Switchboard: mention it, message it, or open an assistant thread."

/** Slack's allowed characters for a bot user's display name: lowercase letters, digits, - _ . */
export const botDisplayName = (name: string): string => {
  const slug = name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, BOT_NAME_MAX)
  return slug.length > 0 ? slug : "switchboard-agent"
}

const appName = (name: string): string => {
  const trimmed = name.trim().slice(0, NAME_MAX).trim()
  return trimmed.length > 0 ? trimmed : "Switchboard agent"
}

export interface ManifestOptions {
  readonly name: string
  readonly urls: Pick<AppUrls, "webhookUrl" | "redirectUrl">
}

export const make = ({ name, urls }: ManifestOptions): Schema.Json => ({
  display_information: {
    name: appName(name),
    description: DESCRIPTION.slice(0, DESCRIPTION_MAX),
    background_color: "#2c2d30"
  },
  features: {
    app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
    bot_user: { display_name: botDisplayName(name), always_online: true },
    assistant_view: {
      assistant_description: "Ask the agent anything; it answers in this thread.",
      suggested_prompts: []
    }
  },
  oauth_config: {
    redirect_urls: [urls.redirectUrl],
    scopes: { bot: [...BOT_SCOPES] }
  },
  settings: {
    event_subscriptions: { request_url: urls.webhookUrl, bot_events: [...BOT_EVENTS] },
    org_deploy_enabled: false,
    socket_mode_enabled: false,
    token_rotation_enabled: true
  }
})
