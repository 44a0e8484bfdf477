/** `switchboard/providers/jira`: the Jira provider (`make` reads its settings from config). */
export * from "./JiraProvider.ts"
