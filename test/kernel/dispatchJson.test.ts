/**
 * The outbox and the sinks write a dispatch's JSON and a delivery's by hand (`DispatchJson.ts`)
 * rather than through their schemas: each must give the same text, field for field and in the
 * same order, or a stored row or a receiver would see fields appear or vanish. A field added to
 * `SessionDispatch` and not to `DispatchJson.ts` fails here.
 */
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { deliveryJson, dispatchJson } from "../../kernel/domain/DispatchJson.ts"
import { SessionDelivery, SessionDispatch } from "../../kernel/domain/SessionDispatch.ts"
import { delivery } from "../adapters/sink/fixtures.ts"

const encode = Schema.encodeSync(Schema.fromJsonString(SessionDelivery))
const encodeDispatch = Schema.encodeSync(Schema.fromJsonString(SessionDispatch))

describe("DispatchJson", () => {
  it("writes what the schemas write", () => {
    const sample = delivery()
    assert.strictEqual(deliveryJson(sample), encode(sample))
    assert.strictEqual(dispatchJson(sample.dispatch), encodeDispatch(sample.dispatch))
  })

  it("without an actor, with nested context, and without what the schema does not name", () => {
    const sample = delivery({ id: "dsp_2" })
    const unnamed = {
      ...sample,
      extra: "not in the schema",
      dispatch: {
        ...sample.dispatch,
        actor: null,
        context: { nested: { list: [1, "two", null, { deep: true }] }, unicode: "\u00e9\u2028" },
        unnamed: "dropped"
      }
    }
    assert.strictEqual(deliveryJson(unnamed), encode(unnamed))
    assert.notInclude(deliveryJson(unnamed), "dropped")
    assert.strictEqual(dispatchJson(unnamed.dispatch), encodeDispatch(unnamed.dispatch))
  })

  it("keeps the schema's field order whatever the value's", () => {
    const sample = delivery()
    const { createdAt, ...rest } = sample.dispatch
    const reordered = { attempt: sample.attempt, mcp: { ...sample.mcp }, dispatch: { createdAt, ...rest } }
    assert.strictEqual(deliveryJson(reordered), encode(sample))
    assert.strictEqual(dispatchJson(reordered.dispatch), encodeDispatch(sample.dispatch))
  })
})
