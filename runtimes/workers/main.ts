/**
 * Workers entrypoint: D1 from `env.DB` (migrated by `wrangler d1 migrations apply`), the kernel
 * built once per isolate on first use, background work handed to `ctx.waitUntil`, and the cron
 * trigger draining what is left in the outbox.
 */
import * as D1 from "../../adapters/d1/D1.ts"
import { isServiceBinding } from "../../adapters/sink/ServiceBindingSink.ts"
import { type KernelApp, makeApp } from "../../kernel/Kernel.ts"
import { runtimeDependencies } from "../shared/dependencies.ts"

export interface Env {
  readonly DB: D1Database
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
      env,
      sql: D1.layer({ db: env.DB }),
      migrate: false,
      sessionsBinding: isServiceBinding(binding) ? binding : undefined
    }),
    { poller: false }
  )
  return app
}

export default {
  fetch(request, env, ctx) {
    return appFor(env).fetch(request, (promise) => ctx.waitUntil(promise))
  },
  scheduled(_event, env, ctx) {
    ctx.waitUntil(appFor(env).drain())
  }
} satisfies ExportedHandler<Env>
