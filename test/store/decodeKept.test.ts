/**
 * `keptByRow` (adapters/sql/stores/SqlRows.ts): a row read again unchanged is not decoded again,
 * a changed row is, rows it cannot key (a blob) are always decoded, failures are not kept, and it
 * keeps at most `capacity` decodings.
 */
import { Effect, Schema, SchemaTransformation } from "effect"
import { describe, expect, it } from "vitest"
import { keptByRow } from "../../adapters/sql/stores/SqlRows.ts"

/** A row codec that counts its decodings. */
const counting = () => {
  const count = { decoded: 0 }
  // `scopes` before `n`: a row that fails on `n` has had its scopes decoded (and counted).
  const Row = Schema.Struct({
    id: Schema.String,
    scopes: Schema.String.pipe(Schema.decodeTo(
      Schema.Array(Schema.String),
      SchemaTransformation.transform({
        decode: (text: string): ReadonlyArray<string> => {
          count.decoded++
          return text.split(",")
        },
        encode: (scopes: ReadonlyArray<string>) => scopes.join(",")
      })
    )),
    n: Schema.NullOr(Schema.Number)
  })
  return { Row, count }
}

const run = <A>(effect: Effect.Effect<A, unknown>) => Effect.runSync(effect)

describe("keptByRow", () => {
  it("decodes a row once while it stays the same, and again when it changes", () => {
    const { Row, count } = counting()
    const decode = keptByRow(Schema.decodeUnknownEffect(Row))
    const first = run(decode({ id: "p1", n: 1, scopes: "a,b" }))
    const again = run(decode({ id: "p1", n: 1, scopes: "a,b" }))
    expect(first.scopes).toEqual(["a", "b"])
    expect(again).toBe(first)
    expect(count.decoded).toBe(1)
    const narrowed = run(decode({ id: "p1", n: 1, scopes: "a" }))
    expect(narrowed.scopes).toEqual(["a"])
    expect(count.decoded).toBe(2)
    // A value that differs only in type (the string "1" for the number 1) is another row.
    expect(() => run(decode({ id: "p1", n: "1", scopes: "a" }))).toThrow()
    expect(run(decode({ id: "p1", n: null, scopes: "a" })).n).toBeNull()
  })

  it("never takes one row for another whose values run together", () => {
    const { Row } = counting()
    const decode = keptByRow(Schema.decodeUnknownEffect(Row))
    const left = run(decode({ id: "ab", n: null, scopes: "c" }))
    const right = run(decode({ id: "a", n: null, scopes: "bc" }))
    expect(left.id).toBe("ab")
    expect(right.id).toBe("a")
    expect(right.scopes).toEqual(["bc"])
  })

  it("fails for a row that does not decode, keeping nothing", () => {
    const { Row, count } = counting()
    const decode = keptByRow(Schema.decodeUnknownEffect(Row))
    // The scopes decode (counted), then the row fails on `n`: decoded again each time.
    const bad = { id: "p1", n: "not a number", scopes: "a" }
    expect(() => run(decode(bad))).toThrow()
    expect(count.decoded).toBe(1)
    expect(() => run(decode(bad))).toThrow()
    expect(count.decoded).toBe(2)
    const good = { id: "p1", n: 1, scopes: "a" }
    run(decode(good))
    const before = count.decoded
    run(decode(good))
    expect(count.decoded).toBe(before)
  })

  it("decodes a row holding a blob every time", () => {
    const Row = Schema.Struct({ id: Schema.String, blob: Schema.Uint8Array })
    const decode = keptByRow(Schema.decodeUnknownEffect(Row))
    const row = { id: "b", blob: new Uint8Array([1, 2]) }
    expect(run(decode(row))).not.toBe(run(decode(row)))
  })

  it("keeps at most its capacity, dropping the oldest", () => {
    const { Row, count } = counting()
    const decode = keptByRow(Schema.decodeUnknownEffect(Row), 2)
    const row = (id: string) => ({ id, n: null, scopes: "a" })
    run(decode(row("1")))
    run(decode(row("2")))
    run(decode(row("3")))
    expect(count.decoded).toBe(3)
    run(decode(row("3")))
    run(decode(row("2")))
    expect(count.decoded).toBe(3)
    run(decode(row("1")))
    expect(count.decoded).toBe(4)
  })
})
