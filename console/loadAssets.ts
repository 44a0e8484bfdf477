/**
 * The Console's embedded files (assets.ts, about 115 KB of strings) are loaded on the first
 * Console request, not with the kernel: most starts serve webhooks and tool calls only. On
 * Workers, wrangler.toml swaps this module for one that imports them as a module of their own,
 * so an isolate's start does not even parse them.
 */
export type ConsoleAssets = typeof import("./assets.ts")

export const loadAssets = (): Promise<ConsoleAssets> => import("./assets.ts")
