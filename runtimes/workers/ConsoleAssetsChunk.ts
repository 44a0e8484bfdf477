/**
 * What the Worker bundle has in place of console/loadAssets.ts (wrangler.toml's `[alias]`): the
 * Console's files from the prebuilt chunk (scripts/build-worker-chunks.mjs), a module of its own,
 * so an isolate that serves no Console request never parses them.
 */
import type { ConsoleAssets } from "../../console/loadAssets.ts"

export const loadAssets = (): Promise<ConsoleAssets> => import("./chunks/console-assets.mjs")
