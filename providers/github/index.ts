/** `switchboard/providers/github`: the GitHub provider (`make` reads its settings from config). */
export * from "./GitHubProvider.ts"
