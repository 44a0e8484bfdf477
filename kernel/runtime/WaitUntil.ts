/**
 * On Workers, work that outlives the response must be handed to `ExecutionContext.waitUntil`.
 * The Workers entrypoint provides this reference per request; everywhere else it is absent and
 * background work runs on a fiber owned by the kernel's scope.
 */
import { Context } from "effect"

export class WaitUntil extends Context.Service<WaitUntil, (promise: Promise<unknown>) => void>()(
  "switchboard/runtime/WaitUntil"
) {}
