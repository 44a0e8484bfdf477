// Prints how long importing one module takes in this fresh process: V8 parsing and compiling it,
// then evaluating its top level (what a Worker isolate does before its first request).
// Plain JavaScript run by bare node, so no loader's own start-up is counted.
import { pathToFileURL } from "node:url"

const started = performance.now()
await import(pathToFileURL(process.argv[2]).href)
process.stdout.write(`${performance.now() - started}\n`)
