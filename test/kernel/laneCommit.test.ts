/**
 * The webhook lane's group commit (`kernel/webhooks/LaneCommit.ts`), over a recording
 * `IngestNow`: the deliveries of one turn are routed, admitted and written by one statement;
 * a delivery its tenants' limits refuse is not written and goes back to the pipeline
 * (`undefined`) alone; an account's installations are read once a round; a busy connection or a refused statement sends the whole round back,
 * nothing written.
 */
import { Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { IngestNowStore, IngestStatements, StoredRow } from "../../kernel/store/IngestNow.ts"
import { type Arrival, makeLaneCommit } from "../../kernel/webhooks/LaneCommit.ts"
import type { DecodedWebhook } from "../../kernel/webhooks/Receiver.ts"
import * as LinearWebhook from "../../providers/linear/webhook/LinearWebhook.ts"
import { installation, tenantA, tenantB } from "../store/fixtures.ts"

const provider = {
  id: ProviderId.make("linear"),
  webhook: LinearWebhook.make({ oauth: Option.none(), webhookSecrets: [Redacted.make("s")], apiUrl: "http://linear.test", oauthUrl: "http://linear.test" })
}

const delivery = (deliveryId: string, account: string): DecodedWebhook => ({
  deliveryId,
  contentDigest: `digest-${deliveryId}`,
  bodyText: "{}",
  eventType: "Issue",
  externalAccountId: Option.some(account),
  handshake: Option.none(),
  lifecycle: Option.none(),
  decide: () => ({ _tag: "Ignore", reason: "a test" })
})

const arrival = (deliveryId: string, account: string): Arrival => ({
  provider,
  delivery: delivery(deliveryId, account),
  headers: new Headers({ "linear-signature": "never stored", "linear-delivery": deliveryId }),
  receivedAt: 1_750_000_000_000
})

/** An `IngestNow` over a map of account owners, recording each round's rows; `mode` makes it busy or refuse. */
const recording = (owners: Record<string, ReadonlyArray<Installation>>) => {
  const rounds: Array<ReadonlyArray<StoredRow>> = []
  const reads: Array<string> = []
  const state = { mode: "free" as "free" | "busy" | "throws" }
  const statements: IngestStatements = {
    findByAccount: (providerId, account) => {
      reads.push(`${providerId}/${account}`)
      return owners[account] ?? []
    },
    insertIfAbsent: (rows) => {
      if (state.mode === "throws") throw new Error("database is locked")
      rounds.push(rows)
      // A tenant's second copy of a delivery id is a duplicate, as the unique key makes it.
      const seen = new Set<string>()
      const key = (row: StoredRow) => `${row.event.tenantId}/${row.event.deliveryId}`
      return rows.filter((row) => !seen.has(key(row)) && seen.add(key(row))).map((row) => row.event.id)
    }
  }
  const store: IngestNowStore = { now: (use) => state.mode === "busy" ? undefined : use(statements) }
  return { store, rounds, reads, state }
}

const installed = { "org-a": [installation(tenantA, "ins_a", { externalAccountId: "org-a" })], "org-ab": [installation(tenantA, "ins_a2"), installation(tenantB, "ins_b2")] }

describe("the lane's group commit", () => {
  it("writes a turn's deliveries in one statement, a row per owning tenant, and tells each its own", async () => {
    const { rounds, store } = recording(installed)
    const commit = makeLaneCommit(store, () => true)
    const [routed, shared, unrouted, twin] = await Promise.all([
      commit(arrival("d-1", "org-a")),
      commit(arrival("d-2", "org-ab")),
      commit(arrival("d-3", "org-nobody")),
      commit(arrival("d-1", "org-a"))
    ])
    expect(rounds).toHaveLength(1)
    expect(rounds[0]!.map((row) => [row.event.deliveryId, row.event.tenantId, row.event.status, row.contentDigest])).toEqual([
      ["d-1", "ten_a", "received", "digest-d-1"],
      ["d-2", "ten_a", "received", "digest-d-2"],
      ["d-2", "ten_b", "received", "digest-d-2"],
      ["d-3", "_unrouted", "ignored", "digest-d-3"],
      ["d-1", "ten_a", "received", "digest-d-1"]
    ])
    // No signature reaches a stored row.
    expect(rounds[0]!.every((row) => !("linear-signature" in row.event.headers))).toBe(true)
    expect(routed?.inserted.map((event) => event.tenantId)).toEqual(["ten_a"])
    expect(routed?.owners.map((owner) => owner.id)).toEqual(["ins_a"])
    expect(shared?.inserted.map((event) => event.tenantId)).toEqual(["ten_a", "ten_b"])
    expect(unrouted?.inserted.map((event) => event.tenantId)).toEqual(["_unrouted"])
    expect(unrouted?.owners).toEqual([])
    expect(twin?.inserted).toEqual([])
  })

  it("reads an account's installations once a round, however many of its deliveries the round holds", async () => {
    const { reads, store } = recording(installed)
    const commit = makeLaneCommit(store, () => true)
    const first = await Promise.all([
      commit(arrival("d-1", "org-a")),
      commit(arrival("d-2", "org-ab")),
      commit(arrival("d-3", "org-a")),
      commit(arrival("d-4", "org-ab"))
    ])
    expect(reads).toEqual(["linear/org-a", "linear/org-ab"])
    // Each delivery still gets its account's owners.
    expect(first.map((stored) => stored?.owners.map((owner) => owner.id))).toEqual([["ins_a"], ["ins_a2", "ins_b2"], ["ins_a"], ["ins_a2", "ins_b2"]])
    // The next round reads again: an installation made in between counts at once.
    await commit(arrival("d-5", "org-a"))
    expect(reads).toEqual(["linear/org-a", "linear/org-ab", "linear/org-a"])
  })

  it("leaves a delivery its limits refuse to the pipeline, unwritten, and writes the others", async () => {
    const { rounds, store } = recording(installed)
    const commit = makeLaneCommit(store, (owners) => owners.length === 0)
    const [refused, admitted] = await Promise.all([commit(arrival("d-1", "org-a")), commit(arrival("d-2", "org-nobody"))])
    expect(refused).toBeUndefined()
    expect(admitted?.inserted).toHaveLength(1)
    expect(rounds.flat().map((row) => row.event.deliveryId)).toEqual(["d-2"])
  })

  it("sends the whole round back, nothing written, when the connection is busy or the statement fails", async () => {
    for (const mode of ["busy", "throws"] as const) {
      const { rounds, state, store } = recording(installed)
      state.mode = mode
      let admitted = 0
      const commit = makeLaneCommit(store, () => (admitted++, true))
      expect(await Promise.all([commit(arrival("d-1", "org-a")), commit(arrival("d-2", "org-nobody"))])).toEqual([undefined, undefined])
      expect(rounds).toEqual([])
      // A busy connection is known before anything is read or admitted.
      if (mode === "busy") expect(admitted).toBe(0)
      state.mode = "free"
      expect((await commit(arrival("d-3", "org-nobody")))?.inserted).toHaveLength(1)
    }
  })
})
