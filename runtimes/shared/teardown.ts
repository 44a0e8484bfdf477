/**
 * How an embedding app's `runMain` ends the process: SIGINT/SIGTERM is the normal way to stop a
 * server, so an exit made only of that interruption is 0 (Effect's default says 130); failures
 * keep Effect's codes.
 */
import { Cause, Exit } from "effect"
import * as Runtime from "effect/Runtime"

export const teardown: Runtime.Teardown = (exit, onExit) =>
  Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) ? onExit(0) : Runtime.defaultTeardown(exit, onExit)
