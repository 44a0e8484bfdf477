/**
 * `runProviderKit(options)`: the provider kit (`sandbox/kit/`) bound to Node: fakes
 * served on loopback by `test/support/serve.ts`, the kernel in-process over in-memory SQLite by
 * `test/support/kernel.ts`. One call in a provider's `kit.test.ts` registers the whole suite.
 */
import { defineProviderKit } from "../../../sandbox/kit/ProviderKit.ts"
import type { KitHarness, ProviderKitOptions, WebHandler } from "../../../sandbox/kit/KitTypes.ts"
import { startTestKernel } from "../kernel.ts"
import { serve } from "../serve.ts"

export const nodeHarness: KitHarness = {
  serve: (handler) => serve(handler),
  startKernel: (options) => startTestKernel({ env: options.env, providers: options.providers })
}

export const runProviderKit = <Fake extends { readonly handler: WebHandler }>(options: ProviderKitOptions<Fake>): void =>
  defineProviderKit(options, nodeHarness)
