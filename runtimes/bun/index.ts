/**
 * `switchboard/runtimes/bun`: Effect's Bun HTTP server for an app that embeds the kernel
 * (`layer`, `runMain`; the same names as `switchboard/runtimes/node`). The standalone server
 * is `main.ts` beside this file.
 */
export { type ListenOptions, layer, runMain } from "./BunServer.ts"
export { nodeCrypto } from "../shared/nodeCrypto.ts"
