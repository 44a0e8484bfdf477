/** How `npm run start:node` and `npm run start:bun` run Switchboard (the compiled file), for the benches that spawn it. */
import { relative } from "node:path"
import { buildEntry, entryBuildFile } from "../../scripts/build-entry.ts"
import type { BuiltRuntime } from "../../scripts/build-entry.ts"
import type { Command } from "./processes.ts"
import { bin, repoRoot } from "./processes.ts"

export const entry = (runtime: BuiltRuntime): Omit<Command, "env"> => ({
  command: runtime === "node" ? process.execPath : bin("bun"),
  args: [relative(repoRoot, entryBuildFile(runtime))]
})

/** Builds what the entries run (as their prestart scripts do), before anything is timed. */
export const buildEntries = async (): Promise<void> => {
  await buildEntry("node")
  await buildEntry("bun")
}
