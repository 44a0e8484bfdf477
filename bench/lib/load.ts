/**
 * One measured pass against a running server: wrk's warm-up, then the measured window with the
 * server group's CPU time read from /proc before and after, and its peak RSS at the end.
 */
import { groupCpuSeconds, groupPeakRssMb, type Spawned } from "./processes.ts"
import type { SignedTemplate } from "./payloads.ts"
import { runWrk, signedScript } from "./wrk.ts"
import type { BenchOptions } from "../BenchRow.ts"

// A type, not an interface: `medians` takes any record of figures.
export type Pass = {
  readonly "req/s": number
  readonly "p50 ms": number
  readonly "p99 ms": number
  readonly "cpu us/req": number
  readonly "peak rss MB": number
}

let nonces = 0
/** Unique across the bench's passes, so no body is ever sent twice to a database. */
const nonce = () => `${Date.now().toString(36)}${(nonces++).toString(36)}`

export const measure = async (
  server: Spawned,
  template: SignedTemplate,
  options: BenchOptions & { readonly path: string; readonly scratch: string; readonly connections?: number }
): Promise<Pass> => {
  const url = new URL(options.path, server.url)
  const connections = options.connections ?? 64
  if (options.warmupSeconds > 0) {
    const warm = await runWrk({ url, script: signedScript(options.scratch, url, template, nonce()), seconds: options.warmupSeconds, connections })
    if (warm.errors > 0) throw new Error(`${warm.errors} failed requests in the warm-up against ${url.href} (see ${server.log})`)
  }
  const script = signedScript(options.scratch, url, template, nonce())
  const before = groupCpuSeconds(server.pid)
  const result = await runWrk({ url, script, seconds: options.seconds, connections })
  const cpu = groupCpuSeconds(server.pid) - before
  if (result.errors > 0) throw new Error(`${result.errors} failed requests against ${url.href} (see ${server.log})`)
  return {
    "req/s": result.reqPerSecond,
    "p50 ms": result.p50Ms,
    "p99 ms": result.p99Ms,
    "cpu us/req": (cpu * 1e6) / result.requests,
    "peak rss MB": groupPeakRssMb(server.pid)
  }
}
