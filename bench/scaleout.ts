/**
 * Scale out: webhook ingest (signature check, decode, dedupe insert, acknowledgement; the
 * decision runs after the 200) on three Bun instances against one Bun instance, the same
 * Postgres server under both (one database each), measured in the same run, passes alternated.
 * Self-contained: starts its own Postgres (test/support/postgres.ts), sink, fakes and instances.
 *
 * Load: `wrk` when installed, one process per instance, each replaying signed requests it has
 * not sent before from a file (every webhook a fresh delivery id and body, so dedupe never
 * answers for the pipeline); else a loopback loop in this process. The payload is a Linear
 * comment that mentions nobody: stored, decided and ignored, with no vendor call.
 *
 * What two cores allow: the instances, Postgres and the load generator share them, so three
 * instances cannot triple anything here; the figure shows whether several instances on one
 * database cost throughput (locks, pool waits) rather than what more machines would add.
 *
 *     npx tsx bench/scaleout.ts [--passes 3 --seconds 12 --warmup 3]
 */
import { createHmac, randomUUID } from "node:crypto"
import { existsSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { type BunCluster, startBunCluster } from "../test/reliability/bunCluster.ts"
import { startSink } from "../test/reliability/sinkServer.ts"
import { startPostgres } from "../test/support/postgres.ts"
import type { BenchOptions, BenchRow } from "./BenchRow.ts"
import { runAlone } from "./lib/options.ts"
import { scratch, sleep } from "./lib/processes.ts"
import { median } from "./lib/stats.ts"
import { atLeast, TARGETS } from "./lib/targets.ts"
import { runWrk, WRK, writeScript } from "./lib/wrk.ts"
/** Connections per instance: enough to keep one Bun instance busy on this machine. */
const CONNECTIONS = 32
/** Requests written per instance and pass: more than one instance ingests in a pass here. */
const REQUESTS_PER_FILE = 40_000

interface Measured {
  readonly rate: number
  readonly p50: number
  readonly p99: number
  readonly errors: number
}

/** Signed Linear webhooks for a cluster: a comment on the installed organization, fresh ids. */
const makeSigner = (cluster: BunCluster) => {
  const organizationId = cluster.fakes.linear.control.organization.id
  const secret = cluster.secrets.linearWebhookSecret
  return () => {
    const id = randomUUID()
    const body = JSON.stringify({
      action: "create",
      type: "Comment",
      organizationId,
      createdAt: new Date().toISOString(),
      data: { id: `comment-${id}`, body: "An ordinary comment, mentioning nobody. ".repeat(8), issueId: "issue-bench", userId: "user-bench" },
      url: "https://linear.app/bench/issue/ENG-1#comment",
      webhookTimestamp: Date.now(),
      webhookId: id
    })
    return { deliveryId: id, signature: createHmac("sha256", secret).update(body).digest("hex"), body }
  }
}

const setUp = async (cluster: BunCluster) => {
  const tenant = await cluster.actors.createTenant("bench")
  const installation = await cluster.actors.installLinear(tenant.apiKey)
  await cluster.actors.createPublication(tenant.apiKey, installation, "agent-bench", ["issues:read"])
}

// wrk: each line of the file is one request (delivery id, signature, body; tab-separated).
const WRK_SCRIPT = `
local requests = {}
local index = 0
init = function(args)
  for line in io.lines(args[1]) do
    local delivery, signature, body = line:match("^([^\\t]*)\\t([^\\t]*)\\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", "/webhook/linear", {
      ["content-type"] = "application/json", ["linear-delivery"] = delivery,
      ["linear-event"] = "Comment", ["linear-signature"] = signature }, body)
  end
end
request = function()
  index = index % #requests + 1
  return requests[index]
end
`

/** One instance's wrk run over its file of requests. */
const replay = async (url: string, script: string, file: string, seconds: number): Promise<Measured> => {
  const result = await runWrk({ url: new URL(url), script, seconds, connections: CONNECTIONS, scriptArgs: [file] })
  return { rate: result.reqPerSecond, p50: result.p50Ms, p99: result.p99Ms, errors: result.errors }
}

/** One pass of wrk on every instance at once; rates add up, latencies are the worst instance's. */
const passWithWrk = async (cluster: BunCluster, folder: string, pass: string, seconds: number): Promise<Measured> => {
  const sign = makeSigner(cluster)
  const script = writeScript(join(folder, "replay.lua"), WRK_SCRIPT)
  const files = cluster.instances.map((_, index) => {
    const file = join(folder, `${pass}-${index}.tsv`)
    const lines = Array.from({ length: REQUESTS_PER_FILE }, () => {
      const { deliveryId, signature, body } = sign()
      return `${deliveryId}\t${signature}\t${body}`
    })
    writeFileSync(file, `${lines.join("\n")}\n`)
    return file
  })
  const results = await Promise.all(cluster.instances.map((instance, index) =>
    replay(`${instance.baseUrl}/webhook/linear`, script, files[index]!, seconds)
  ))
  for (const file of files) rmSync(file, { force: true })
  return {
    rate: results.reduce((sum, result) => sum + result.rate, 0),
    p50: Math.max(...results.map((result) => result.p50)),
    p99: Math.max(...results.map((result) => result.p99)),
    errors: results.reduce((sum, result) => sum + result.errors, 0)
  }
}

/** One pass of a loopback loop: CONNECTIONS workers per instance, round robin. */
const passWithLoop = async (cluster: BunCluster, seconds: number): Promise<Measured> => {
  const sign = makeSigner(cluster)
  const latencies: Array<number> = []
  let errors = 0
  const deadline = performance.now() + seconds * 1000
  await Promise.all(cluster.instances.flatMap((instance) =>
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const { deliveryId, signature, body } = sign()
        const started = performance.now()
        const response = await fetch(`${instance.baseUrl}/webhook/linear`, {
          method: "POST",
          headers: { "content-type": "application/json", "linear-delivery": deliveryId, "linear-event": "Comment", "linear-signature": signature },
          body
        }).catch(() => undefined)
        await response?.arrayBuffer()
        if (response?.status !== 200) errors++
        latencies.push(performance.now() - started)
      }
    })
  ))
  const sorted = latencies.sort((a, b) => a - b)
  return {
    rate: latencies.length / seconds,
    p50: sorted[Math.floor(sorted.length * 0.5)] ?? 0,
    p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
    errors
  }
}

export const run = async (options: BenchOptions): Promise<ReadonlyArray<BenchRow>> => {
  const useWrk = existsSync(WRK)
  const directory = scratch()
  const folder = directory.path
  const postgres = await startPostgres()
  const sink = await startSink(() => ({ status: 200 }))
  const clusters: Array<BunCluster> = []
  try {
    // No per-process webhook allowance in the way: the bench measures the pipeline, not the limit.
    const extra = { SWITCHBOARD_WEBHOOKS_PER_MINUTE: "0" }
    const three = await startBunCluster({ count: 3, databaseUrl: postgres.createDatabase("three"), sinkUrl: sink.url, extra })
    clusters.push(three)
    const one = await startBunCluster({ count: 1, databaseUrl: postgres.createDatabase("one"), sinkUrl: sink.url, extra })
    clusters.push(one)
    await setUp(three)
    await setUp(one)
    const measure = (cluster: BunCluster, pass: string, seconds: number) =>
      useWrk ? passWithWrk(cluster, folder, pass, seconds) : passWithLoop(cluster, seconds)
    await measure(one, "warm-one", options.warmupSeconds)
    await measure(three, "warm-three", options.warmupSeconds)
    const results: { one: Array<Measured>; three: Array<Measured> } = { one: [], three: [] }
    for (let pass = 0; pass < options.passes; pass++) {
      // Alternated, with a pause for the decisions that follow each pass's acks.
      await sleep(2_000)
      results.one.push(await measure(one, `one-${pass}`, options.seconds))
      await sleep(2_000)
      results.three.push(await measure(three, `three-${pass}`, options.seconds))
    }
    const figures = (list: ReadonlyArray<Measured>) => ({
      "req/s": Math.round(median(list.map((m) => m.rate))),
      "p50 ms": Number(median(list.map((m) => m.p50)).toFixed(1)),
      "p99 ms": Number(median(list.map((m) => m.p99)).toFixed(1)),
      "errors": list.reduce((sum, m) => sum + m.errors, 0)
    })
    const oneFigures = figures(results.one)
    const threeFigures = figures(results.three)
    const ratio = Number((threeFigures["req/s"] / Math.max(1, oneFigures["req/s"])).toFixed(2))
    const load = useWrk ? `wrk -t1 -c${CONNECTIONS} per instance` : `a loopback loop, ${CONNECTIONS} workers per instance`
    const baseline = "ingest, 1 Bun instance on Postgres"
    return [
      { section: "scale out", subject: baseline, figures: oneFigures, note: `${load}; ${options.passes} passes of ${options.seconds} s` },
      {
        section: "scale out",
        subject: "ingest, 3 Bun instances on one Postgres",
        figures: { ...threeFigures, "x one instance": ratio },
        baseline,
        targets: [atLeast(`3 instances keep at least ${TARGETS.scaleOutReqShare}x of one instance's throughput`, ratio, TARGETS.scaleOutReqShare)],
        note: "two cores run the instances, Postgres and the load generator together: three instances " +
          "cannot add capacity here, so this shows that sharing one database costs no throughput, not what more machines add"
      }
    ]
  } finally {
    for (const cluster of clusters) await cluster.close()
    await sink.close()
    postgres.stop()
    directory.remove()
  }
}

await runAlone(import.meta.url, run)
