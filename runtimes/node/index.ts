/**
 * `switchboard/runtimes/node`: Effect's Node HTTP server for an app that embeds the kernel
 * (`layer`, `runMain`), and `serve` for a web-standard handler. `switchboard/runtimes/bun` and
 * `/deno` export the same names. The standalone server is `main.ts` beside this file.
 */
export { type ListenOptions, layer, runMain } from "./NodeServer.ts"
export { type RunningServer, serve, type ServeOptions, type WebHandler } from "./NodeWebServer.ts"
export { nodeCrypto } from "../shared/nodeCrypto.ts"
