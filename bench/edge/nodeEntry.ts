/** How `npm run start:node` runs Switchboard on Node (the compiled file), for the benches that spawn it. */
import { relative } from "node:path"
import { buildNode, nodeBuildFile } from "../../scripts/build-node.ts"
import type { Command } from "./processes.ts"
import { repoRoot } from "./processes.ts"

export const nodeEntry = (): Omit<Command, "env"> => ({ command: process.execPath, args: [relative(repoRoot, nodeBuildFile)] })

/** Builds what the Node entry runs (as `prestart:node` does), before anything is timed. */
export const buildNodeEntry = (): Promise<void> => buildNode()
