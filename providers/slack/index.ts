/** `switchboard/providers/slack`: the Slack provider (`make` reads its settings from config). */
export * from "./SlackProvider.ts"
