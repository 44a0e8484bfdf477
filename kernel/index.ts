/**
 * The package entry (`switchboard`, `switchboard/kernel`): the kernel an Effect app embeds.
 *
 * - `Kernel.layer` (the routes with their services), `Kernel.poller` (retries dispatches, runs
 *   retention),
 *   `Kernel.services` and the `KernelDependencies` an app provides;
 * - the service tags those dependencies are made of (`KernelConfig`, `Registry`, `SessionSink`,
 *   the stores) and the services an app may call from its own routes;
 * - the domain models and the provider contract, to write a provider of your own.
 *
 * Storage engines, providers, sinks and runtimes have entries of their own (see package.json).
 */
export * as Kernel from "./Kernel.ts"
export { KernelConfig } from "./KernelConfig.ts"
export { NativeCrypto, type NativeCryptoImpl } from "./crypto/NativeCrypto.ts"
export { Registry } from "./registry/Registry.ts"
export { SessionSink } from "./dispatch/SessionSink.ts"
export { Deliveries } from "./deliveries/Deliveries.ts"
export { Dispatch } from "./dispatch/Dispatch.ts"
export { Install } from "./install/Install.ts"
export { Mcp } from "./mcp/Mcp.ts"
export { Publications } from "./publications/Publications.ts"
export { Retention } from "./retention/Retention.ts"
export { Tenants } from "./tenants/Tenants.ts"
export { Tools } from "./tools/Tools.ts"
export { WaitUntil } from "./runtime/WaitUntil.ts"
export { Webhooks } from "./webhooks/Webhooks.ts"
export * from "./domain/index.ts"
export * as Encoding from "./encoding/Encoding.ts"
export * from "./provider/index.ts"
export * from "./store/index.ts"
