#!/usr/bin/env node
// The `switchboard` command (package.json "bin"). In the repository the CLI runs from its
// TypeScript source through tsx's loader; the installed package has no sources, only the build.
import { existsSync } from "node:fs"

const source = new URL("./switchboard.ts", import.meta.url)
let main
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api")
  register()
  ;({ main } = await import(source.href))
} else {
  ;({ main } = await import(new URL("../dist/bin/switchboard.js", import.meta.url).href))
}
process.exitCode = await main(process.argv.slice(2))
