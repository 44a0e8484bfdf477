/**
 * Agent activities: the acknowledgement's id is derived from the delivery (UUID v4 shaped, as
 * Linear requires of client-chosen ids), so a second attempt for the same delivery is refused by
 * Linear and then recognised as already done; any other failure still fails.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { acknowledge, stableActivityId } from "../../../providers/linear/webhook/Acknowledge.ts"
import * as LinearClient from "../../../providers/linear/LinearClient.ts"
import { servedFakeLinear } from "./fixtures.ts"

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe("stableActivityId", () => {
  it.effect("is a UUID v4 shape, the same for the same seed, different for another", () =>
    Effect.gen(function*() {
      const one = yield* stableActivityId("ack:delivery-1:session-1")
      expect(one).toMatch(UUID_V4)
      expect(yield* stableActivityId("ack:delivery-1:session-1")).toBe(one)
      expect(yield* stableActivityId("ack:delivery-2:session-1")).not.toBe(one)
    }))
})

describe("acknowledge", () => {
  it.live("posts one thought per delivery however often it runs", () =>
    Effect.gen(function*() {
      const { fake, url } = yield* servedFakeLinear()
      const client = LinearClient.make(url)
      const session = fake.control.startAgentSession()
      const token = Redacted.make(fake.control.mintTokens().accessToken)
      const ack = acknowledge(client, { deliveryId: "delivery-1", agentSessionId: session.id, issue: "ENG-1" })
      yield* ack(token)
      yield* ack(token)
      expect(fake.control.activities(session.id)).toEqual([
        expect.objectContaining({ content: { type: "thought", body: "Request received; starting work on ENG-1." } })
      ])
      yield* acknowledge(client, { deliveryId: "delivery-2", agentSessionId: session.id, issue: null })(token)
      expect(fake.control.activities(session.id).map((activity) => activity.content["body"])).toEqual([
        "Request received; starting work on ENG-1.",
        "Request received; starting work."
      ])
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.live("a session Linear does not know, or a rejected token, fails with the typed error", () =>
    Effect.gen(function*() {
      const { fake, url } = yield* servedFakeLinear()
      const client = LinearClient.make(url)
      const token = Redacted.make(fake.control.mintTokens().accessToken)
      const missing = yield* Effect.flip(acknowledge(client, { deliveryId: "d", agentSessionId: "nope", issue: null })(token))
      expect(missing.reason).toBe("NotFound")
      const session = fake.control.startAgentSession()
      const expired = fake.control.mintTokens()
      fake.control.expireToken(expired.accessToken)
      const rejected = yield* Effect.flip(
        acknowledge(client, { deliveryId: "d", agentSessionId: session.id, issue: null })(Redacted.make(expired.accessToken))
      )
      expect(rejected.reason).toBe("Unauthorized")
    }).pipe(Effect.provide(FetchHttpClient.layer)))
})
