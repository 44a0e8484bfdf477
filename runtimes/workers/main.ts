/**
 * Workers entrypoint: D1 from `env.DB` (migrated by `wrangler d1 migrations apply`), the kernel
 * built once per isolate on first use, background work handed to `ctx.waitUntil`, and the cron
 * trigger draining what is left in the outbox.
 */
import * as D1 from "../../adapters/d1/D1.ts"
import { isServiceBinding } from "../../adapters/sink/ServiceBindingSink.ts"
import type { KernelApp } from "../../kernel/Kernel.ts"
import { RETENTION_EVERY_MINUTES } from "../../kernel/retention/Retention.ts"
import { makeApp } from "../shared/app.ts"
import { runtimeDependencies } from "../shared/dependencies.ts"

/** The part of the cron's `ScheduledController` used here: when this run was due, in ms. */
interface ScheduledController {
  readonly scheduledTime: number
}

/** The part of the Workers `ExecutionContext` used here (no workers-types needed to check this file). */
interface ExecutionContext {
  readonly waitUntil: (promise: Promise<unknown>) => void
}

export interface Env {
  readonly DB: D1.D1Options["db"]
  /** The name of a service binding to deliver sessions through (when no URL is set). */
  readonly SWITCHBOARD_SESSIONS_BINDING?: string
  readonly [name: string]: unknown
}

let app: KernelApp | undefined

const appFor = (env: Env): KernelApp => {
  if (app !== undefined) return app
  const bindingName = env.SWITCHBOARD_SESSIONS_BINDING
  const binding = bindingName === undefined ? undefined : env[bindingName]
  app = makeApp(
    runtimeDependencies({
      // Workers end `waitUntil` work 30 s after the response: a delivery must give up before
      // that, so the outbox records the failure and retries, instead of being cut off mid-claim.
      // Cloudflare names the client in cf-connecting-ip, so failed-authentication limits count
      // each client apart (elsewhere the operator names the header its proxy sets). Deliveries at
      // once stay at 32 here: an invocation keeps at most six connections open (the rest queue),
      // so more would only claim entries sooner than they can be sent.
      env: {
        SWITCHBOARD_SESSIONS_TIMEOUT: "25 seconds",
        SWITCHBOARD_CLIENT_IP_HEADER: "cf-connecting-ip",
        SWITCHBOARD_DISPATCH_CONCURRENCY: "32",
        ...env
      },
      sql: D1.layer({ db: env.DB }),
      migrate: false,
      // Each isolate would count on its own, and a busy Worker runs many.
      sharedLimits: true,
      sessionsBinding: isServiceBinding(binding) ? binding : undefined
    }),
    { poller: false }
  )
  return app
}

/** Past this, an unread body is cancelled rather than read to its end. */
const maxReleaseBytes = 4 * 1024 * 1024

/**
 * An answer given without reading the body (401 before parsing, 413 on Content-Length) must
 * still consume it before the answer leaves: otherwise the connection it came on fails the next
 * request ("worker restarted mid-request" under wrangler dev). Bodies past the cap are cancelled.
 */
const release = async (body: ReadableStream<Uint8Array>): Promise<void> => {
  const reader = body.getReader()
  let total = 0
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) return
      total += value.byteLength
      if (total > maxReleaseBytes) {
        await reader.cancel()
        return
      }
    }
  } catch {
    // The client went away: nothing left to release.
  }
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const response = await appFor(env).fetch(request, (promise) => ctx.waitUntil(promise))
    if (request.body !== null && !request.bodyUsed) await release(request.body)
    return response
  },
  /**
   * The cron trigger (every minute): deliver what `waitUntil` did not finish; in every tenth
   * minute, a retention pass (nothing to do without SWITCHBOARD_RETENTION_DAYS).
   */
  scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): void {
    const app = appFor(env)
    ctx.waitUntil(app.drain())
    if (Math.floor(controller.scheduledTime / 60_000) % RETENTION_EVERY_MINUTES === 0) ctx.waitUntil(app.retain())
  }
}
