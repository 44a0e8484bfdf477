/**
 * The sandbox's parts on their own: snapshots that bring a fake back after a restart (Maps,
 * Sets, records restored in place, logs left out), and `/_sandbox` (the fakes listed, an event
 * built, signed and handed to Switchboard, what was written on its subject, clear errors).
 */
import { describe, expect, it } from "vitest"
import { makeFakeLinear } from "../../sandbox/fakes/linear/FakeLinear.ts"
import { linearSandbox } from "../../sandbox/dev/LinearSandbox.ts"
import { makeSandboxRoutes } from "../../sandbox/dev/SandboxRoutes.ts"
import { restoreInto, snapshotOf } from "../../sandbox/dev/Snapshot.ts"
import { serve } from "../support/serve.ts"

describe("sandbox snapshots", () => {
  it("restore Maps, Sets, records and numbers in place, and skip what they are told to", () => {
    const original = {
      byId: new Map([["a", { name: "A", tags: new Set(["x"]) }]]),
      members: new Set(["U1", "U2"]),
      team: { id: "T1", name: "One" },
      counter: 7,
      name: "saved",
      log: ["kept out"],
      now: () => 1
    }
    const text = snapshotOf(original, ["log"])
    expect(text).not.toContain("kept out")

    const byId = new Map<string, unknown>()
    const members = new Set<string>()
    const team = { id: "T0", name: "Zero" }
    const fresh = { byId, members, team, counter: 0, name: "fresh", log: ["new"], now: () => 2 }
    restoreInto(fresh, text, ["log"])
    expect(fresh.byId).toBe(byId)
    expect(fresh.team).toBe(team)
    expect(byId.get("a")).toEqual({ name: "A", tags: new Set(["x"]) })
    expect([...members]).toEqual(["U1", "U2"])
    expect(team).toEqual({ id: "T1", name: "One" })
    expect(fresh.counter).toBe(7)
    expect(fresh.name).toBe("saved")
    expect(fresh.log).toEqual(["new"])
    expect(fresh.now()).toBe(2)
  })

  it("bring a fake's grants back, so yesterday's installation still works", async () => {
    const yesterday = makeFakeLinear({ clientId: "c", clientSecret: "s" })
    const tokens = yesterday.control.mintTokens()
    const today = linearSandbox.makeFake({ publicUrl: "http://localhost:1", env: { LINEAR_CLIENT_ID: "c", LINEAR_CLIENT_SECRET: "s" } })
    const viewer = () =>
      today.handler(new Request("http://fake/graphql", {
        method: "POST",
        headers: { authorization: `Bearer ${tokens.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({ query: "query { viewer { id } }" })
      }))
    expect((await viewer()).status).toBe(401)
    await today.restore(snapshotOf(yesterday.control.state, []))
    const answer = await viewer()
    expect(answer.status).toBe(200)
    expect(JSON.stringify(await answer.json())).toContain(yesterday.control.appUser.id)
  })
})

describe("/_sandbox", () => {
  const secret = "whsec_sandbox"

  const withFake = async <A>(run: (routes: (request: Request) => Promise<Response>, sent: Array<Request>) => Promise<A>) => {
    const fake = linearSandbox.makeFake({ publicUrl: "http://switchboard.test", env: { LINEAR_CLIENT_ID: "c", LINEAR_CLIENT_SECRET: "s" } })
    const served = await serve(fake.handler)
    const sent: Array<Request> = []
    const routes = makeSandboxRoutes({
      fakes: [{ adapter: linearSandbox, url: served.url }],
      env: { LINEAR_WEBHOOK_SECRET: secret },
      publicUrl: "http://switchboard.test",
      send: async (request) => {
        sent.push(request)
        return new Response(JSON.stringify({ ok: true, status: "accepted" }), { headers: { "content-type": "application/json" } })
      }
    })
    try {
      return await run(routes, sent)
    } finally {
      await served.close()
    }
  }

  it("lists the fakes and their events", () =>
    withFake(async (routes) => {
      const listed = await (await routes(new Request("http://switchboard.test/_sandbox"))).json()
      expect(listed.providers).toEqual([expect.objectContaining({ id: "linear", displayName: "Linear", events: expect.arrayContaining([expect.objectContaining({ name: "agent-session" })]) })])
    }))

  it("builds an event about a fresh issue, signs it and sends it to the webhook route", () =>
    withFake(async (routes, sent) => {
      const answer = await routes(new Request("http://switchboard.test/_sandbox/simulate", {
        method: "POST",
        body: JSON.stringify({ provider: "linear", event: "assigned" })
      }))
      expect(answer.status).toBe(200)
      const result = await answer.json()
      expect(result.answer).toEqual({ status: 200, body: { ok: true, status: "accepted" } })
      expect(result.subject.label).toMatch(/^ENG-\d+$/)
      expect(sent).toHaveLength(1)
      expect(new URL(sent[0]!.url).pathname).toBe("/webhook/linear")
      expect(sent[0]!.headers.get("linear-delivery")).toBe(result.deliveryId)
      expect(sent[0]!.headers.get("linear-signature")).toMatch(/^[0-9a-f]{64}$/)

      const activity = await (await routes(new Request(`http://switchboard.test/_sandbox/activity?provider=linear&subject=${result.subject.id}`))).json()
      expect(activity).toEqual({ activity: [] })
    }))

  it("says what is wrong with a request", () =>
    withFake(async (routes) => {
      const post = (body: string) => routes(new Request("http://switchboard.test/_sandbox/simulate", { method: "POST", body }))
      expect((await post("not json")).status).toBe(400)
      const unknown = await post(JSON.stringify({ provider: "jira" }))
      expect(unknown.status).toBe(404)
      expect((await unknown.json()).error.message).toContain('No sandbox for provider "jira"')
      const event = await post(JSON.stringify({ provider: "linear", event: "nope" }))
      expect((await event.json()).error.message).toContain("try agent-session, assigned, mention")
      expect((await routes(new Request("http://switchboard.test/_sandbox/else"))).status).toBe(404)
    }))
})
