/**
 * Webhook receive throughput: Switchboard's full pipeline (size limit, HMAC verification,
 * Schema decoding, dedupe insert into SQLite, acknowledgement, background decision) against a
 * bare handler that only verifies the HMAC, parses the JSON and inserts the row into the same
 * kind of SQLite database, measured in the same run on the same machine. Prints the ratio, not
 * a timing: these machines are shared and noisy.
 *
 *     npx tsx bench/webhooks.ts [requests=2000] [concurrency=16]
 */
import Database from "better-sqlite3"
import { Effect, Redacted } from "effect"
import { signHmacSha256Hex, verifyHmacSha256Hex } from "../kernel/crypto/Hmac.ts"
import { startTestKernel } from "../test/support/kernel.ts"

const requests = Number(process.argv[2] ?? 2000)
const concurrency = Number(process.argv[3] ?? 16)
const secret = "whsec_test_linear"

/** A Linear comment that mentions nobody: stored, decided and ignored, with no vendor call. */
const payload = (index: number) => ({
  action: "create",
  type: "Comment",
  organizationId: "org-fake-0000-0000-000000000001",
  createdAt: new Date().toISOString(),
  data: {
    id: `comment-bench-${index}`,
    body: `An ordinary comment number ${index} with some text to make the body realistic. `.repeat(8),
    issueId: "issue-0000-0000-0000-000000000001",
    userId: "user-human-0000-0000-000000000001",
    createdAt: new Date().toISOString()
  },
  url: "https://linear.app/fake-workspace/issue/ENG-1#comment",
  webhookTimestamp: Date.now(),
  webhookId: crypto.randomUUID()
})

const signed = async (index: number) => {
  const body = JSON.stringify(payload(index))
  const signature = await Effect.runPromise(signHmacSha256Hex(Redacted.make(secret), body))
  return { body, headers: { "content-type": "application/json", "linear-delivery": `bench-${index}`, "linear-event": "Comment", "linear-signature": signature } }
}

const run = async (send: (index: number) => Promise<Response>) => {
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests) {
      const response = await send(next++)
      if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`)
    }
  }))
  return requests / ((performance.now() - started) / 1000)
}

const bare = () => {
  const db = new Database(":memory:")
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  db.exec("CREATE TABLE events (delivery_id TEXT PRIMARY KEY, body TEXT NOT NULL, received_at INTEGER NOT NULL)")
  const insert = db.prepare("INSERT OR IGNORE INTO events VALUES (?, ?, ?)")
  const keys = [Redacted.make(secret)]
  return async (request: Request): Promise<Response> => {
    const body = new Uint8Array(await request.arrayBuffer())
    const valid = await Effect.runPromise(verifyHmacSha256Hex(keys, body, request.headers.get("linear-signature") ?? ""))
    if (!valid) return new Response("bad signature", { status: 401 })
    const text = new TextDecoder().decode(body)
    JSON.parse(text)
    insert.run(request.headers.get("linear-delivery"), text, Date.now())
    return Response.json({ ok: true })
  }
}

const main = async () => {
  const deliveries = await Promise.all(Array.from({ length: requests }, (_, index) => signed(index)))
  const request = (index: number) =>
    new Request("http://switchboard.test/webhook/linear", { method: "POST", ...deliveries[index]! })

  const quiet = console.log
  for (const method of ["log", "info", "warn", "debug"] as const) console[method] = () => {}
  const kernel = await startTestKernel()
  const { apiKey } = await kernel.createTenant("bench")
  const installationId = await kernel.installLinear(apiKey)
  await kernel.publish(apiKey, { installationId, agentId: "bench", scopes: ["issues:read"], granularity: "issue" })

  const baseline = bare()
  await run((index) => baseline(request(index)))
  const bareRate = await run((index) => baseline(request(index)))
  // Switchboard dedupes on the delivery id, so each pass needs deliveries it has not seen.
  const fresh = async (pass: number) => {
    const batch = await Promise.all(Array.from({ length: requests }, (_, index) => signed(pass * requests + index)))
    return (index: number) =>
      kernel.request("/webhook/linear", { method: "POST", ...batch[index]! })
  }
  await run(await fresh(1))
  const kernelRate = await run(await fresh(2))
  await kernel.close()
  console.log = quiet

  console.log(`webhook receive, ${requests} requests, concurrency ${concurrency}, in process (no sockets)`)
  console.log(`  bare verify + parse + insert : ${bareRate.toFixed(0)} req/s`)
  console.log(`  Switchboard full pipeline    : ${kernelRate.toFixed(0)} req/s`)
  console.log(`  ratio (Switchboard / bare)   : ${(kernelRate / bareRate).toFixed(2)}`)
}

await main()
