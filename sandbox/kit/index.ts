/**
 * The provider kit: a conformance suite any provider runs with one call, and the helpers to
 * build a local fake of a vendor API and to sign webhooks like the vendor. In Node tests, call
 * `runProviderKit` from `test/support/kit/runProviderKit.ts`, which binds this runtime-neutral
 * suite to a loopback server and the in-process kernel. See docs/writing-a-provider.md.
 */
export { defineProviderKit } from "./ProviderKit.ts"
export type { KitHarness, KitKernel, KitServer, KitWorld, ProviderKitOptions, ToolSamples, WebHandler } from "./KitTypes.ts"
export { installByOAuth, installByPaste } from "./KitInstall.ts"
export { inputSchemaProblems, listingProblems, sampleProblems, scopeProblems, toolNameProblems } from "./KitChecks.ts"
export { jsonSchemaProblems, validateAgainst } from "./JsonSchemaCheck.ts"
export { probeTool, type ProbeContext, type ProbeVerdict } from "./ToolProbe.ts"
export { hmacSha256Hex, type SignedWebhook, truncated, withBody, withoutHeader } from "./Signing.ts"
export * as FakeVendor from "./FakeVendor.ts"
