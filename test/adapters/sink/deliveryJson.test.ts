/**
 * The sinks write a delivery's JSON by hand (`deliveryJson`) rather than through its schema: the
 * two must give the same text, field for field and in the same order, or a receiver would see
 * fields appear or vanish. A field added to `SessionDispatch` and not to `deliveryJson` fails here.
 */
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { deliveryJson } from "../../../adapters/sink/SignedDelivery.ts"
import { SessionDelivery } from "../../../kernel/domain/SessionDispatch.ts"
import { delivery } from "./fixtures.ts"

const encode = Schema.encodeSync(Schema.fromJsonString(SessionDelivery))

describe("deliveryJson", () => {
  it("writes what the schema writes", () => {
    const sample = delivery()
    assert.strictEqual(deliveryJson(sample), encode(sample))
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
  })

  it("keeps the schema's field order whatever the value's", () => {
    const sample = delivery()
    const { createdAt, ...rest } = sample.dispatch
    const reordered = { attempt: sample.attempt, mcp: { ...sample.mcp }, dispatch: { createdAt, ...rest } }
    assert.strictEqual(deliveryJson(reordered), encode(sample))
  })
})
