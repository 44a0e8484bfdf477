/**
 * `switchboard/sandbox`: local fakes of the vendors (in-memory web handlers to point a provider
 * at in tests) and the dev sandbox's routes (`npm run dev`). Test tooling: never deploy it. The
 * provider conformance kit is `switchboard/kit`.
 */
export { type FakeGitHub, makeFakeGitHub } from "./fakes/github/FakeGitHub.ts"
export { type FakeJira, makeFakeJira } from "./fakes/jira/FakeJira.ts"
export { type FakeLinear, makeFakeLinear } from "./fakes/linear/FakeLinear.ts"
export { type FakeSlack, makeFakeSlack } from "./fakes/slack/FakeSlack.ts"
export type { SandboxAdapter, SandboxFake } from "./dev/Sandbox.ts"
export { sandboxAdapter, sandboxAdapters } from "./dev/SandboxAdapters.ts"
export { makeSandboxRoutes, type SandboxRoutesOptions } from "./dev/SandboxRoutes.ts"
