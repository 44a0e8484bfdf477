/**
 * The outbox writes its rows by hand (`rowOf`, the dispatch by `dispatchJson`) rather than
 * through `OutboxRow`'s encoding: the two must write the same columns and values.
 */
import { assert, it } from "@effect/vitest"
import { Schema } from "effect"
import { OutboxRow, rowOf } from "../../adapters/sql/stores/OutboxStoreSql.ts"
import { outboxEntry, tenantA } from "./fixtures.ts"

it("an entry's row is what its schema encodes", () => {
  const encode = Schema.encodeSync(OutboxRow)
  for (const entry of [outboxEntry(tenantA, "dsp_1"), outboxEntry(tenantA, "dsp_2", { status: "dead", attempts: 3, lastError: "500" })]) {
    const written = rowOf(entry)
    const encoded = encode(entry)
    assert.deepStrictEqual(Object.keys(written).sort(), Object.keys(encoded).sort())
    assert.deepStrictEqual(written, encoded)
  }
})
