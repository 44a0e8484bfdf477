/**
 * `switchboard/runtimes/deno`: an Effect HTTP server for an app that embeds the kernel on Deno
 * (`layer`, `runMain`; the same names as `switchboard/runtimes/node`). Effect has no Deno
 * platform package: Deno serves Effect's Node server through its `node:http`. The standalone
 * server is `main.ts` beside this file.
 */
export { type ListenOptions, layer, runMain } from "../node/NodeServer.ts"
export { nodeCrypto } from "../shared/nodeCrypto.ts"
