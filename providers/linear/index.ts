/** `switchboard/providers/linear`: the Linear provider (`make` reads its settings from config). */
export * from "./LinearProvider.ts"
