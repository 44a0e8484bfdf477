#!/usr/bin/env node
// The `switchboard` command (package.json "bin"). The CLI is TypeScript like the rest of the
// repo; tsx's loader runs it on Node without a build step.
import { register } from "tsx/esm/api"

register()
const { main } = await import("./switchboard.ts")
process.exitCode = await main(process.argv.slice(2))
