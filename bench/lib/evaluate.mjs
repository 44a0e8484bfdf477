// Prints how long importing one module takes in this fresh process: V8 parsing and compiling it,
// then evaluating its top level (what a Worker isolate does before its first request), as wall
// milliseconds and CPU milliseconds of this process (steadier on shared cores), space-separated.
// Plain JavaScript run by bare node, so no loader's own start-up is counted.
import { pathToFileURL } from "node:url"

const cpu = process.cpuUsage()
const started = performance.now()
await import(pathToFileURL(process.argv[2]).href)
const wall = performance.now() - started
const used = process.cpuUsage(cpu)
process.stdout.write(`${wall} ${(used.user + used.system) / 1000}\n`)
