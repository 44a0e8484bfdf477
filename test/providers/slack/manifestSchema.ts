/**
 * A JSON Schema of Slack's app manifest, written from Slack's app manifest reference
 * (docs.slack.dev/reference/app-manifest) for the fields an HTTP (non-Deno) app uses: the
 * required and optional keys of each section, Slack's documented limits (name ≤ 35,
 * description ≤ 140, long description 174–4000, bot display name ≤ 80 of `a-z 0-9 - _ .`,
 * ≤ 255 scopes, ≤ 100 events, ≤ 1000 redirect URLs, ≤ 10 shortcuts, ≤ 50 slash commands,
 * ≤ 5 unfurl domains, hex background colour), HTTPS request URLs, and no unknown keys.
 * Also the documented scope and event names the generated manifest may use.
 */
import type { Schema } from "@cfworker/json-schema"

const bool: Schema = { type: "boolean" }
const httpsUrl: Schema = { type: "string", pattern: "^https://[^\\s]+$", maxLength: 2000 }
const strings = (maxItems: number): Schema => ({ type: "array", maxItems, uniqueItems: true, items: { type: "string", minLength: 1 } })

export const manifestSchema: Schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["display_information"],
  additionalProperties: false,
  properties: {
    _metadata: {
      type: "object",
      additionalProperties: false,
      properties: { major_version: { type: "integer", enum: [1, 2] }, minor_version: { type: "integer", minimum: 0 } }
    },
    display_information: {
      type: "object",
      required: ["name"],
      additionalProperties: false,
      properties: {
        name: { type: "string", minLength: 1, maxLength: 35 },
        description: { type: "string", maxLength: 140 },
        long_description: { type: "string", minLength: 174, maxLength: 4000 },
        background_color: { type: "string", pattern: "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$" }
      }
    },
    features: {
      type: "object",
      additionalProperties: false,
      properties: {
        app_home: {
          type: "object",
          additionalProperties: false,
          properties: { home_tab_enabled: bool, messages_tab_enabled: bool, messages_tab_read_only_enabled: bool }
        },
        bot_user: {
          type: "object",
          required: ["display_name"],
          additionalProperties: false,
          properties: { display_name: { type: "string", minLength: 1, maxLength: 80, pattern: "^[a-z0-9._-]+$" }, always_online: bool }
        },
        assistant_view: {
          type: "object",
          required: ["assistant_description"],
          additionalProperties: false,
          properties: {
            assistant_description: { type: "string", minLength: 1 },
            suggested_prompts: {
              type: "array",
              maxItems: 4,
              items: {
                type: "object",
                required: ["title", "message"],
                additionalProperties: false,
                properties: { title: { type: "string" }, message: { type: "string" } }
              }
            }
          }
        },
        shortcuts: {
          type: "array",
          maxItems: 10,
          items: {
            type: "object",
            required: ["name", "type", "callback_id", "description"],
            properties: {
              name: { type: "string" },
              type: { enum: ["global", "message"] },
              callback_id: { type: "string", maxLength: 255 },
              description: { type: "string", maxLength: 150 }
            }
          }
        },
        slash_commands: {
          type: "array",
          maxItems: 50,
          items: { type: "object", required: ["command", "description"], properties: { command: { type: "string", maxLength: 32, pattern: "^/" } } }
        },
        unfurl_domains: strings(5)
      }
    },
    oauth_config: {
      type: "object",
      additionalProperties: false,
      properties: {
        redirect_urls: { type: "array", maxItems: 1000, items: httpsUrl },
        scopes: { type: "object", additionalProperties: false, properties: { bot: strings(255), user: strings(255) } },
        token_management_enabled: bool
      }
    },
    settings: {
      type: "object",
      additionalProperties: false,
      properties: {
        allowed_ip_address_ranges: strings(50),
        event_subscriptions: {
          type: "object",
          additionalProperties: false,
          properties: {
            request_url: httpsUrl,
            bot_events: strings(100),
            user_events: strings(100),
            metadata_subscriptions: { type: "array", items: { type: "object", required: ["app_id", "event_type"] } }
          }
        },
        incoming_webhooks: { type: "object", additionalProperties: false, properties: { incoming_webhooks_enabled: bool } },
        interactivity: {
          type: "object",
          required: ["is_enabled"],
          additionalProperties: false,
          properties: { is_enabled: bool, request_url: httpsUrl, message_menu_options_url: httpsUrl }
        },
        org_deploy_enabled: bool,
        socket_mode_enabled: bool,
        token_rotation_enabled: bool,
        is_hosted: bool,
        function_runtime: { enum: ["remote", "slack"] }
      }
    },
    functions: { type: "object" },
    workflows: { type: "object" },
    outgoing_domains: strings(10)
  }
}

/**
 * Granular bot scopes Slack documents (docs.slack.dev/reference/scopes, bot token type), the
 * ones an app like this could ask for.
 */
export const DOCUMENTED_BOT_SCOPES: ReadonlySet<string> = new Set([
  "app_mentions:read", "assistant:write", "bookmarks:read", "bookmarks:write", "calls:read", "calls:write",
  "channels:history", "channels:join", "channels:manage", "channels:read", "channels:write.invites", "channels:write.topic",
  "chat:write", "chat:write.customize", "chat:write.public", "commands", "conversations.connect:manage",
  "conversations.connect:read", "conversations.connect:write", "dnd:read", "emoji:read", "files:read", "files:write",
  "groups:history", "groups:read", "groups:write", "groups:write.invites", "groups:write.topic", "im:history", "im:read",
  "im:write", "incoming-webhook", "links.embed:write", "links:read", "links:write", "metadata.message:read", "mpim:history",
  "mpim:read", "mpim:write", "mpim:write.invites", "mpim:write.topic", "pins:read", "pins:write", "reactions:read",
  "reactions:write", "reminders:read", "reminders:write", "remote_files:read", "remote_files:share", "remote_files:write",
  "team.billing:read", "team.preferences:read", "team:read", "tokens.basic", "usergroups:read", "usergroups:write",
  "users.profile:read", "users:read", "users:read.email", "users:write"
])

/**
 * Events API event names Slack documents (docs.slack.dev/reference/events), with the scope a
 * bot subscription to each needs (null: none, or a feature instead of a scope).
 */
export const DOCUMENTED_EVENTS: ReadonlyMap<string, string | null> = new Map<string, string | null>([
  ["app_home_opened", null],
  ["app_mention", "app_mentions:read"],
  ["app_rate_limited", null],
  ["app_uninstalled", null],
  ["assistant_thread_context_changed", "assistant:write"],
  ["assistant_thread_started", "assistant:write"],
  ["channel_created", "channels:read"],
  ["member_joined_channel", "channels:read"],
  ["message.app_home", null],
  ["message.channels", "channels:history"],
  ["message.groups", "groups:history"],
  ["message.im", "im:history"],
  ["message.mpim", "mpim:history"],
  ["reaction_added", "reactions:read"],
  ["reaction_removed", "reactions:read"],
  ["team_join", "users:read"],
  ["tokens_revoked", null],
  ["user_change", "users:read"]
])
