/**
 * `switchboard/runtimes/workers`: the Worker module (`fetch` and the cron's `scheduled`) over the
 * D1 binding `env.DB`. Re-export it as your Worker's default export, or compose the kernel
 * yourself with `switchboard/d1`.
 */
export { default, type Env } from "./main.ts"
