/**
 * Acceptance 2 of issue 12 (nothing twice, nothing replayed), through the real webhook route and
 * management API of an in-process kernel (`test/support/kernel.ts`, better-sqlite3):
 *
 * - 50 concurrent copies of each of 20 signed Linear deliveries: one dispatch each;
 * - a captured signed body re-sent under 10 new delivery ids: no new dispatch (Linear, whose
 *   signed timestamp still holds, and GitHub, which signs none);
 * - no API response carries a signature header value.
 *
 * Quiet when green: the one-line summary of what was injected and counted goes to
 * test-artifacts/reliability/replay.txt, and the assertion messages carry the counts.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { Effect, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentSessionCreated } from "../../sandbox/fakes/linear/payloads.ts"
import { signLinearWebhook, type SignedLinearWebhook } from "../../sandbox/fakes/linear/sign.ts"
import { signGitHubWebhook } from "../../sandbox/fakes/github/sign.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

const DELIVERIES = 20
const COPIES = 50
const REPLAYS = 10
const GITHUB_SECRET = "whsec_test_github"
/** How long a dispatch that should not happen is given to happen anyway. */
const SETTLE_MS = 500

const Answer = Schema.Struct({ ok: Schema.Boolean, status: Schema.Literals(["accepted", "duplicate"]) })
const DeliveryList = Schema.Struct({ deliveries: Schema.Array(Schema.Struct({ event: Schema.Struct({ id: Schema.String }) })) })

const summary: Array<string> = []
const record = (line: string) => summary.push(line)

describe("replay protection (issue 12, acceptance 2)", () => {
  let kernel: TestKernel
  let apiKey: string
  /** Every signature value sent, to look for in API responses. */
  const signatures = new Set<string>()
  /** Every response body of the management API and the webhook route. */
  const responses: Array<{ readonly what: string; readonly text: string }> = []

  const post = async (signed: { readonly body: string; readonly headers: Readonly<Record<string, string>> }, path: string) => {
    for (const [name, value] of Object.entries(signed.headers)) if (name.includes("signature")) signatures.add(value)
    const response = await kernel.request(path, { method: "POST", headers: signed.headers, body: signed.body })
    const text = await response.text()
    responses.push({ what: `POST ${path}`, text })
    expect(response.status, `POST ${path}: ${text}`).toBe(200)
    return Schema.decodeUnknownSync(Schema.fromJsonString(Answer))(text).status
  }

  const get = async (path: string) => {
    const response = await kernel.request(path, { apiKey })
    const text = await response.text()
    responses.push({ what: `GET ${path}`, text })
    expect(response.status, `GET ${path}: ${text}`).toBe(200)
    return text
  }

  const dispatchesOf = (deliveryId: string) =>
    kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === deliveryId).length

  const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS))

  const sign = (issue: string, deliveryId: string): Promise<SignedLinearWebhook> =>
    Effect.runPromise(signLinearWebhook({
      secret: kernel.secrets.webhook,
      payload: agentSessionCreated({ issue: { id: `issue-${issue}`, identifier: `ENG-${issue}` }, sessionId: `session-${issue}` }),
      deliveryId
    }))

  beforeAll(async () => {
    kernel = await startTestKernel({ env: { GITHUB_WEBHOOK_SECRET: GITHUB_SECRET } })
    ;({ apiKey } = await kernel.createTenant("replay-co"))
    const installationId = await kernel.installLinear(apiKey)
    await kernel.publish(apiKey, { installationId, agentId: "agent-r", scopes: ["issues:read"], granularity: "issue" })
  })

  afterAll(async () => {
    await kernel.close()
    mkdirSync("test-artifacts/reliability", { recursive: true })
    writeFileSync("test-artifacts/reliability/replay.txt", `${summary.join("; ")}\n`)
  })

  it(`${COPIES} concurrent copies of each of ${DELIVERIES} deliveries: one dispatch each`, async () => {
    const signed = await Promise.all(Array.from({ length: DELIVERIES }, (_, n) => sign(`storm-${n}`, `storm-${n}`)))
    const answers = await Promise.all(
      signed.flatMap((delivery) => Array.from({ length: COPIES }, () => post(delivery, "/webhook/linear")))
    )
    const accepted = answers.filter((answer) => answer === "accepted").length
    const duplicates = answers.filter((answer) => answer === "duplicate").length
    await kernel.eventually(() => signed.every((delivery) => dispatchesOf(delivery.deliveryId) > 0))
    await settle()
    const counts = signed.map((delivery) => dispatchesOf(delivery.deliveryId))
    const line = `storm: sent ${answers.length} (${DELIVERIES} x ${COPIES}), accepted ${accepted}, duplicate ${duplicates}, ` +
      `dispatches ${counts.reduce((sum, count) => sum + count, 0)} (per delivery ${[...new Set(counts)].join("/")})`
    record(line)
    expect(accepted, line).toBe(DELIVERIES)
    expect(duplicates, line).toBe(DELIVERIES * (COPIES - 1))
    expect(counts, line).toEqual(Array.from({ length: DELIVERIES }, () => 1))
  })

  it(`a signed Linear body re-sent under ${REPLAYS} new delivery ids: no new dispatch`, async () => {
    const captured = await sign("replayed", "original")
    expect(await post(captured, "/webhook/linear")).toBe("accepted")
    await kernel.eventually(() => dispatchesOf("original") > 0)
    const before = kernel.deliveries.length
    // The attacker keeps the body and its signature and changes the unsigned delivery id.
    const answers = await Promise.all(Array.from({ length: REPLAYS }, (_, n) =>
      post({ body: captured.body, headers: { ...captured.headers, "linear-delivery": `replay-${n}` } }, "/webhook/linear")))
    await settle()
    const replayDispatches = Array.from({ length: REPLAYS }, (_, n) => dispatchesOf(`replay-${n}`)).reduce((sum, count) => sum + count, 0)
    const line = `linear replay: sent ${REPLAYS} under new ids, duplicate ${answers.filter((answer) => answer === "duplicate").length}, ` +
      `new dispatches ${kernel.deliveries.length - before}`
    record(line)
    expect(answers, line).toEqual(Array.from({ length: REPLAYS }, () => "duplicate"))
    expect(kernel.deliveries.length - before, line).toBe(0)
    expect(replayDispatches, line).toBe(0)
    expect(dispatchesOf("original"), line).toBe(1)
  })

  it(`a signed GitHub body (no signed timestamp) re-sent under ${REPLAYS} new delivery ids is a duplicate`, async () => {
    const payload = { action: "opened", installation: { id: 987_654 }, issue: { number: 1, title: "t" }, repository: { full_name: "o/r" } }
    const captured = await signGitHubWebhook({ secret: GITHUB_SECRET, event: "issues", payload })
    expect(await post(captured, "/webhook/github")).toBe("accepted")
    const answers: Array<string> = []
    // One after another this time: a replay never races its original.
    for (let n = 0; n < REPLAYS; n++) {
      answers.push(await post({ body: captured.body, headers: { ...captured.headers, "x-github-delivery": crypto.randomUUID() } }, "/webhook/github"))
    }
    const line = `github replay: sent ${REPLAYS} under new ids, duplicate ${answers.filter((answer) => answer === "duplicate").length}`
    record(line)
    expect(answers, line).toEqual(Array.from({ length: REPLAYS }, () => "duplicate"))
  })

  it("no API response carries a signature header value", async () => {
    const listed = Schema.decodeUnknownSync(Schema.fromJsonString(DeliveryList))(await get("/v1/deliveries?limit=200"))
    expect(listed.deliveries.length).toBeGreaterThanOrEqual(DELIVERIES + 1)
    let detailsWithHeaders = 0
    for (const { event } of listed.deliveries) {
      const detail = await get(`/v1/deliveries/${encodeURIComponent(event.id)}`)
      // The detail does show headers (the delivery id among them), just not the signature.
      if (detail.includes("linear-delivery")) detailsWithHeaders += 1
    }
    for (const path of ["/v1/sessions?limit=200", "/v1/installations", "/v1/publications", "/v1/integrations", "/v1/registrations"]) {
      await get(path)
    }
    const leaks = responses.flatMap(({ text, what }) =>
      [...signatures].filter((signature) => text.includes(signature) || text.includes(signature.replace(/^sha\d+=/, ""))).map(() => what)
    )
    const named = responses.filter(({ text }) => /linear-signature|x-hub-signature/i.test(text)).map(({ what }) => what)
    const line = `signatures: ${signatures.size} values sent, ${responses.length} responses read ` +
      `(${listed.deliveries.length} delivery details, ${detailsWithHeaders} with headers), leaks ${leaks.length}, signature headers named ${named.length}`
    record(line)
    expect(detailsWithHeaders, line).toBe(listed.deliveries.length)
    expect(leaks, line).toEqual([])
    expect(named, line).toEqual([])
  })
})
